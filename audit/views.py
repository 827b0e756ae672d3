"""The logbook search for process managers: their own region's entries only, paginated."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role, role_required

from .events import logbook_searched_by_bsn
from .forms import LogbookBsnForm, LogbookFilterForm
from .hooks import bsn_search_check
from .selectors import logbook_actions_for_region, logbook_for_region

PAGE_SIZE = 50
# the pseudonym of the last BSN searched for is kept in the session, so it never travels in a URL
SESSION_PSEUDONYM = "logbook_youth_pseudonym"
FILTER_FIELDS = ("action", "date_from", "date_to", "signal")


def _filter_query(data) -> dict:
    return {name: data.get(name) for name in FILTER_FIELDS if data.get(name)}


@role_required(Role.PROCESS_MANAGER)
def logbook(request):
    region = request.region
    actions = logbook_actions_for_region(region=region)
    bsn_form = LogbookBsnForm()
    if request.method == "POST":
        bound = LogbookBsnForm(request.POST)
        if bound.is_valid():
            # a search by BSN tells whether the youth appears here: limited like every look-up
            pseudonym, refusal = bsn_search_check(
                bsn=bound.cleaned_data["bsn"],
                actor=request.user,
                request=request,
                region=region,
                limit=settings.RIGHTS_LOOKUP_LIMIT_PER_HOUR,
            )
            if refusal:
                bound.add_error("bsn", refusal)
            else:
                request.session[SESSION_PSEUDONYM] = pseudonym
                logbook_searched_by_bsn(youth_pseudonym=pseudonym)
                query = {**_filter_query(request.POST), "persoon": "1"}
                return redirect(f"{reverse('audit:logbook')}?{urlencode(query)}")
        # the typed value is never rendered back: only the message
        bsn_form.errors_only = bound.errors.get("bsn")
    filter_form = LogbookFilterForm(request.GET or None, actions=actions)
    filters = filter_form.cleaned_data if filter_form.is_bound and filter_form.is_valid() else {}
    pseudonym = request.session.get(SESSION_PSEUDONYM, "") if request.GET.get("persoon") == "1" else ""
    entries = logbook_for_region(
        region=region,
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        signal_id=filters.get("signal"),
        youth_pseudonym=pseudonym,
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    base_query = {**_filter_query(request.GET), **({"persoon": "1"} if pseudonym else {})}
    return render(
        request,
        "audit/logbook.html",
        {
            "title": _("Logboek"),
            "filter_form": filter_form if filter_form.is_bound else LogbookFilterForm(actions=actions),
            "bsn_form": bsn_form,
            "bsn_errors": getattr(bsn_form, "errors_only", None),
            "page": page,
            "by_person": bool(pseudonym),
            "base_query": urlencode(base_query),
            "filter_query": urlencode(_filter_query(request.GET)),
        },
    )

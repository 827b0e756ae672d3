"""Pages of citizens' requests: the queue, registering, the youth's overview and PDF, advice and decisions."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.form_pages import form_action, form_data
from federation.rights import IncompleteAnswer, remote_signals_fetch
from persons.bsn import bsn_decrypt
from persons.exceptions import PersonLookupError

from . import selectors, services
from .forms import AdviceForm, AdviceRequestForm, AnswerForm, DecisionForm, RequestRegisterForm
from .models import DECIDED_KINDS, Authority, RequestStatus
from .steps import next_actor, request_steps

PDF_STYLESHEET = Path(__file__).resolve().parent / "static" / "rights" / "overview-pdf.css"


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _staff_request(request, pk):
    """The request if the user is municipal staff of its municipality; otherwise it does not exist for them."""
    rights_request = selectors.request_for_user(memberships=request.memberships, region=request.region, pk=pk)
    if not selectors.is_staff_for(memberships=request.memberships, rights_request=rights_request):
        raise Http404
    return rights_request


@role_required(Role.MUNICIPAL_STAFF, Role.PROCESS_MANAGER)
def queue(request):
    show_all = request.GET.get("alle") == "1"
    requests = selectors.requests_for_user(memberships=request.memberships, region=request.region)
    if not show_all:
        requests = requests.exclude(status__in=[RequestStatus.COMPLETED, RequestStatus.UPHELD, RequestStatus.REJECTED])
    today = timezone.localdate()
    rows = [(r, r.is_overdue(today)) for r in requests]
    can_register = any(m.role == Role.MUNICIPAL_STAFF for m in request.memberships)
    is_manager = any(m.role == Role.PROCESS_MANAGER for m in request.memberships)
    return render(
        request,
        "rights/queue.html",
        {
            "title": _("Verzoeken"),
            "rows": rows,
            "show_all": show_all,
            "can_register": can_register,
            "is_manager": is_manager,
        },
    )


@role_required(Role.MUNICIPAL_STAFF)
def request_register(request):
    municipality = request.membership.municipality
    form = RequestRegisterForm(form_data(request), initial={"received_on": timezone.localdate()})

    fields = (
        "kind",
        "bsn",
        "requester_name",
        "requester_capacity",
        "co_requester_name",
        "identity_checked",
        "identity_check_method",
        "identity_check_note",
        "received_on",
        "birth_date",
        "description",
    )

    def then(rights_request):
        others = selectors.open_requests_for_same_youth(rights_request=rights_request)
        if others:
            messages.warning(request, _duplicates_text(others))
        return redirect("rights:request_detail", pk=rights_request.pk)

    return form_action(
        request,
        form,
        action=lambda data: services.rights_request_register(
            actor=request.user,
            municipality=municipality,
            **{field: data[field] for field in fields},
            request=request,
        ),
        done=lambda rights_request: _("Het verzoek is geregistreerd als %(ref)s.") % {"ref": rights_request.reference},
        then=then,
        # a refused BSN shows next to its field (BsnInvalid.field), any other lookup refusal above the form
        refusals=(PersonLookupError, ValidationError),
        template="rights/register.html",
        context={"title": _("Verzoek registreren"), "municipality": municipality},
    )


def _duplicates_text(others) -> str:
    return _(
        "Let op: voor deze jeugdige loopt al een verzoek (%(refs)s). Controleer of dit een dubbele registratie is."
    ) % {"refs": ", ".join(r.reference for r in others)}


@role_required(Role.MUNICIPAL_STAFF, Role.PROCESS_MANAGER)
def request_detail(request, pk):
    rights_request = selectors.request_for_user(memberships=request.memberships, region=request.region, pk=pk)
    is_staff = selectors.is_staff_for(memberships=request.memberships, rights_request=rights_request)
    is_manager = selectors.is_process_manager_for(memberships=request.memberships, rights_request=rights_request)
    context = {
        "title": _("Verzoek %(ref)s") % {"ref": rights_request.reference},
        "rights_request": rights_request,
        "is_staff": is_staff,
        "is_manager": is_manager,
        "overdue": rights_request.is_overdue(timezone.localdate()),
        "bsn": bsn_decrypt(rights_request.bsn_encrypted) if is_staff else None,
        "advice_tasks": list(rights_request.advice_tasks.select_related("professional")),
        "may_hand_over": rights_request.authority != Authority.NOT_ALLOWED,
        "duplicates": selectors.open_requests_for_same_youth(rights_request=rights_request)
        if rights_request.is_open
        else [],
    }
    context["steps"] = request_steps(rights_request=rights_request, advice_tasks=context["advice_tasks"])
    context["next_actor"] = next_actor(context["steps"])
    context["may_answer"] = is_staff and _may_answer(rights_request)
    context.update(selectors.remote_signals_of_request(rights_request=rights_request))
    if (
        rights_request.kind in DECIDED_KINDS
        and rights_request.status == RequestStatus.RECEIVED
        and rights_request.youth_registered
    ):
        signals = selectors.signals_of_youth(youth_pseudonym=rights_request.youth_pseudonym)
        context["advice_form"] = AdviceRequestForm(signals=signals) if signals else None
    if is_manager and rights_request.status == RequestStatus.ADVICE_REQUESTED:
        context["decision_form"] = DecisionForm()
    return render(request, "rights/detail.html", context)


@role_required(Role.MUNICIPAL_STAFF)
def request_overview(request, pk):
    rights_request = _staff_request(request, pk)
    if rights_request.authority == Authority.NOT_ALLOWED:
        messages.error(request, _("Deze verzoeker mag dit recht niet uitoefenen; het overzicht wordt niet getoond."))
        return redirect("rights:request_detail", pk=pk)
    services.rights_overview_record(rights_request=rights_request, actor=request.user, as_copy=False, request=request)
    overview = selectors.youth_overview(rights_request=rights_request)
    return render(
        request,
        "rights/overview.html",
        {"title": _("Overzicht voor inzage"), "rights_request": rights_request, **overview},
    )


@role_required(Role.MUNICIPAL_STAFF)
def request_pdf(request, pk):
    from weasyprint import CSS, HTML

    rights_request = _staff_request(request, pk)
    if rights_request.authority == Authority.NOT_ALLOWED:
        messages.error(request, _("Deze verzoeker mag dit recht niet uitoefenen; er wordt geen kopie gemaakt."))
        return redirect("rights:request_detail", pk=pk)
    overview = selectors.youth_overview(rights_request=rights_request)
    html = render_to_string(
        "rights/overview_pdf.html",
        {"rights_request": rights_request, "region": request.region, "made_at": timezone.now(), **overview},
        request=request,
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])
    services.rights_overview_record(rights_request=rights_request, actor=request.user, as_copy=True, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verwijsindex-{rights_request.reference}.pdf"'
    return response


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def request_remote_signals(request, pk):
    """Ask the other deployments, through the national hub, which signals they hold on the youth (logged here, at
    the hub and there); only for an open request whose requester may exercise the right."""
    rights_request = _staff_request(request, pk)
    if rights_request.authority == Authority.NOT_ALLOWED:
        messages.error(request, _("Deze verzoeker mag dit recht niet uitoefenen; er wordt niets opgevraagd."))
        return redirect("rights:request_detail", pk=pk)
    try:
        rows = remote_signals_fetch(rights_request=rights_request, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except IncompleteAnswer as incomplete:
        messages.warning(
            request,
            _("Niet alle verwijsindexen met signalen op deze jeugdige antwoordden (%(which)s); vraag later opnieuw.")
            % {"which": ", ".join(incomplete.unavailable)},
        )
    else:
        messages.success(
            request, _("%(count)s signaal/signalen in andere verwijsindexen gevonden.") % {"count": len(rows)}
        )
    return redirect("rights:request_detail", pk=pk)


def _may_answer(rights_request) -> bool:
    """The citizen can be answered once: an inzage/kopie while open, a correction/objection after the decision."""
    if rights_request.answered_on is not None or rights_request.status == RequestStatus.COMPLETED:
        return False
    if rights_request.kind in DECIDED_KINDS:
        return rights_request.status in (RequestStatus.UPHELD, RequestStatus.REJECTED)
    return True


@role_required(Role.MUNICIPAL_STAFF)
def request_complete(request, pk):
    """The last step, confirmed: how and when the citizen was answered; then the request is closed."""
    rights_request = _staff_request(request, pk)
    fields = ("answered_on", "answered_how", "answered_note")
    return form_action(
        request,
        AnswerForm(form_data(request), initial={"answered_on": timezone.localdate()}),
        action=lambda data: services.rights_request_complete(
            rights_request=rights_request, actor=request.user, **{f: data[f] for f in fields}, request=request
        ),
        done=_("Het verzoek is afgehandeld."),
        then=lambda _result: redirect("rights:request_detail", pk=pk),
        template="rights/complete.html",
        context={
            "title": _("Verzoek %(ref)s afhandelen") % {"ref": rights_request.reference},
            "rights_request": rights_request,
        },
    )


@require_POST
@role_required(Role.MUNICIPAL_STAFF, Role.PROCESS_MANAGER)
def request_advice(request, pk):
    rights_request = selectors.request_for_user(memberships=request.memberships, region=request.region, pk=pk)
    signals = selectors.signals_of_youth(youth_pseudonym=rights_request.youth_pseudonym)
    form = AdviceRequestForm(request.POST, signals=signals)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.get("signals", [])))))
        return redirect("rights:request_detail", pk=pk)
    try:
        tasks = services.rights_advice_request(
            rights_request=rights_request, signal_ids=form.cleaned_data["signals"], actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Advies gevraagd aan %(count)s professional(s).") % {"count": len(tasks)})
    return redirect("rights:request_detail", pk=pk)


@role_required(Role.PROCESS_MANAGER)
def request_decide(request, pk):
    rights_request = selectors.request_for_user(memberships=request.memberships, region=request.region, pk=pk)
    if not selectors.is_process_manager_for(memberships=request.memberships, rights_request=rights_request):
        raise Http404
    return form_action(
        request,
        DecisionForm(form_data(request)),
        action=lambda data: services.rights_request_decide(
            rights_request=rights_request,
            actor=request.user,
            upheld=data["decision"],
            reason=data["reason"],
            request=request,
        ),
        done=_("Het besluit is vastgelegd."),
        then=lambda _result: redirect("rights:request_detail", pk=pk),
        template="rights/decide.html",
        context=lambda: {
            "title": _("Besluiten over %(ref)s") % {"ref": rights_request.reference},
            "rights_request": rights_request,
            "advice_tasks": list(rights_request.advice_tasks.select_related("professional")),
        },
    )


@role_required(Role.PROCESS_MANAGER)
def staff_activity(request):
    """Each municipal staff member's look-ups for requests over the last weeks, unusual ones flagged."""
    starts, rows = selectors.staff_activity_for_region(region=request.region, as_of=timezone.localdate())
    return render(
        request,
        "rights/staff_activity.html",
        {
            "title": _("Verzoeken per medewerker"),
            "starts": starts,
            "rows": [(row, list(zip(row.weeks, row.outlier_weeks, strict=True))) for row in rows],
        },
    )


@role_required(Role.PROFESSIONAL)
def advice_list(request):
    tasks = selectors.advice_tasks_for_professional(user=request.user, region=request.region)
    today = timezone.localdate()
    return render(
        request,
        "rights/advice_list.html",
        {"title": _("Adviesvragen"), "rows": [(t, t.is_overdue(today)) for t in tasks]},
    )


@role_required(Role.PROFESSIONAL)
def advice_detail(request, pk):
    task = selectors.advice_task_for_professional(user=request.user, region=request.region, pk=pk)
    return form_action(
        request,
        AdviceForm(form_data(request)),
        action=lambda data: services.advice_task_give(
            task=task, actor=request.user, advice=data["advice"], advice_text=data["advice_text"], request=request
        ),
        done=_("Dank u, uw advies is vastgelegd."),
        then="rights:advice_list",
        template="rights/advice_detail.html",
        context={
            "title": _("Advies over signaal %(ref)s") % {"ref": task.signal_reference},
            "task": task,
            "overdue": task.is_overdue(timezone.localdate()),
        },
    )

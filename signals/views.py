"""Pages of the signals app: placing a signal (guided steps), my signals, ending, and coordinators' transfers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from audit.services import log_event
from persons.exceptions import PersonLookupError
from persons.models import Youth
from regions.selectors import municipality_label
from verwijsindex.form_pages import form_data, form_page

from . import selectors, services
from .exceptions import BirthDateMismatch, SignalRefused
from .forms import ConfirmForm, EndForm, InformingForm, LookupForm, ProfileForm, TransferForm
from .models import EndReason, SignalStatus
from .rules import Party, age_on, parties_to_inform

# The placing flow keeps only ids in the session, never the BSN: the youth is looked up once in step 1.
FLOW = "signal_place"


def _professional_organisations(request):
    return [m.organisation for m in request.memberships if m.role == Role.PROFESSIONAL]


def _flow(request) -> dict | None:
    return request.session.get(FLOW)


def _flow_save(request, state: dict) -> None:
    request.session[FLOW] = state


def _flow_youth_and_organisation(request, *, step: int):
    """The youth and organisation chosen in step 1 if the flow reached `step`; else None (start again)."""
    state = _flow(request)
    if not state or state.get("step", 0) < step:
        return None, None
    organisation = next((o for o in _professional_organisations(request) if o.pk == state["organisation_id"]), None)
    youth = Youth.objects.filter(pk=state["youth_id"]).first()
    if organisation is None or youth is None:
        return None, None
    return youth, organisation


def _restart(request):
    request.session.pop(FLOW, None)
    messages.info(request, _("Begin opnieuw met het burgerservicenummer en de geboortedatum."))
    return redirect("signals:place")


def brp_date_display(brp_date: str) -> str:
    year, month, day = brp_date[:4], brp_date[4:6], brp_date[6:8]
    if month == "00":
        return year
    if day == "00":
        return f"{month}-{year}"
    return f"{day}-{month}-{year}"


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place(request):
    """Step 1: BSN and date of birth. The BSN goes to the BRP and is then forgotten; only the youth id is kept."""
    organisations = _professional_organisations(request)
    form = LookupForm(form_data(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation()
        try:
            youth = services.signal_place_lookup(
                professional=request.user,
                organisation=organisation,
                bsn=form.cleaned_data["bsn"],
                birth_date=form.cleaned_data["birth_date"],
                request=request,
            )
            _flow_save(request, {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": 2})
            return redirect("signals:place_confirm")
        except BirthDateMismatch as error:
            form.add_error("birth_date", error.message)
        except (PersonLookupError, SignalRefused) as error:
            form.add_error(None, error.message)
    return render(request, "signals/place_lookup.html", {"form": form, "title": _("Signaal afgeven"), "step": 1})


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place_confirm(request):
    """Step 2: is this the youth you mean? Name, date of birth, municipality; never the BSN."""
    youth, organisation = _flow_youth_and_organisation(request, step=2)
    if youth is None:
        return _restart(request)
    if request.method == "POST":
        _flow_save(request, {**_flow(request), "step": 3})
        return redirect("signals:place_profile")
    log_event(action="youth_data_viewed", request=request, youth_pseudonym=youth.pseudonym, page="signal_place_confirm")
    return render(
        request,
        "signals/place_confirm.html",
        {
            "form": ConfirmForm(),
            "youth": youth,
            "birth_date": brp_date_display(youth.birth_date_brp),
            "municipality": municipality_label(youth.municipality_code),
            "title": _("Controleer de jeugdige"),
            "step": 2,
        },
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place_profile(request):
    """Step 3: the organisation's own signalling profile, weighed by the professional."""
    youth, organisation = _flow_youth_and_organisation(request, step=3)
    if youth is None:
        return _restart(request)
    form = ProfileForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        _flow_save(request, {**_flow(request), "step": 4})
        return redirect("signals:place_informing")
    return render(
        request,
        "signals/place_profile.html",
        {"form": form, "organisation": organisation, "title": _("Signaleringsprofiel"), "step": 3},
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place_informing(request):
    """Step 4: whom to inform at this age, and what was done; then the signal is placed."""
    youth, organisation = _flow_youth_and_organisation(request, step=4)
    if youth is None:
        return _restart(request)
    from django.utils import timezone

    age = age_on(youth.birth_date, timezone.localdate())
    form = InformingForm(form_data(request))

    def place():
        signal = services.signal_place(
            professional=request.user,
            organisation=organisation,
            youth=youth,
            informing=form.informing(),
            request=request,
        )
        request.session.pop(FLOW, None)
        return redirect("signals:placed", signal_id=signal.pk)

    return form_page(
        request,
        form,
        act=place,
        refusals=(SignalRefused,),
        template="signals/place_informing.html",
        context={
            "parties": [Party.LABELS[party] for party in parties_to_inform(age)],
            "title": _("Informeren"),
            "step": 4,
        },
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place_cancel(request):
    request.session.pop(FLOW, None)
    messages.info(request, _("Het afgeven van het signaal is afgebroken. Er is niets vastgelegd."))
    return redirect("signals:list")


def _own_signal(request, signal_id):
    signal = selectors.signal_of_professional(user=request.user, signal_id=signal_id, region=request.region)
    if signal is None:
        raise Http404()
    return signal


@role_required(Role.PROFESSIONAL)
def placed(request, signal_id: int):
    """Step 5: what happens next; the archive of others on this youth is shown here once."""
    signal = _own_signal(request, signal_id)
    archive = services.signal_archive_show(signal=signal, request=request)
    return render(
        request, "signals/placed.html", {"signal": signal, "archive": archive, "title": _("Signaal afgegeven")}
    )


@role_required(Role.PROFESSIONAL)
def signal_list(request):
    """My signals: active and archived, only the user's own, in this region."""
    signals = list(selectors.signals_of_professional(user=request.user).filter(organisation__region=request.region))
    counts = selectors.match_counts([signal.pk for signal in signals])
    if signals:
        log_event(
            action="youth_data_viewed",
            request=request,
            page="signal_list",
            signal_ids=[signal.pk for signal in signals],
        )
    for signal in signals:
        signal.match_count = counts.get(signal.pk)
    return render(
        request,
        "signals/list.html",
        {
            "active": [s for s in signals if s.status == SignalStatus.ACTIVE],
            "archived": [s for s in signals if s.status == SignalStatus.ARCHIVED],
            "counts_known": bool(counts) or _matching_counts_available(),
            "title": _("Mijn signalen"),
        },
    )


def _matching_counts_available() -> bool:
    try:
        from matching.selectors import match_counts_for_signals  # noqa: F401
    except ImportError:
        return False
    return True


@role_required(Role.PROFESSIONAL)
def signal_detail(request, signal_id: int):
    signal = _own_signal(request, signal_id)
    log_event(
        action="youth_data_viewed",
        request=request,
        youth_pseudonym=signal.youth.pseudonym,
        signal_id=signal.pk,
        page="signal_detail",
    )
    counts = selectors.match_counts([signal.pk])
    whom = [Party.LABELS.get(code, code) for code in signal.informed_whom.split(",") if code]
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "youth": signal.youth,
            "birth_date": brp_date_display(signal.youth.birth_date_brp),
            "informed_whom": whom,
            "match_count": counts.get(signal.pk),
            "title": _("Signaal %(reference)s") % {"reference": signal.reference},
        },
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def signal_end(request, signal_id: int):
    """Ending early: choose the reason, then confirm on a page that says what will happen."""
    signal = _own_signal(request, signal_id)
    if signal.status != SignalStatus.ACTIVE:
        messages.info(request, _("Dit signaal is al beëindigd."))
        return redirect("signals:detail", signal_id=signal.pk)
    form = EndForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if not form.cleaned_data["confirmed"]:
            return render(
                request,
                "signals/end_confirm.html",
                {"signal": signal, "reason": reason, "title": _("Bevestig het beëindigen")},
            )
        try:
            services.signal_end(signal=signal, reason=reason, actor=request.user, request=request)
        except SignalRefused as error:
            messages.error(request, error.message)
            return redirect("signals:list")
        if reason == EndReason.CONCERN_GONE:
            messages.success(request, _("Het signaal is beëindigd en staat 5 jaar in het archief."))
        else:
            messages.success(request, _("Het signaal is beëindigd en vernietigd."))
        return redirect("signals:list")
    return render(request, "signals/end.html", {"signal": signal, "form": form, "title": _("Signaal beëindigen")})


# Organisation coordinators


def _coordinated_organisation(request):
    return request.membership.organisation


@role_required(Role.ORGANISATION_COORDINATOR)
def organisation_professionals(request):
    organisation = _coordinated_organisation(request)
    return render(
        request,
        "signals/organisation_professionals.html",
        {
            "organisation": organisation,
            "memberships": selectors.professionals_of_organisation(organisation=organisation),
            "title": _("Meldingsbevoegden van %(organisation)s") % {"organisation": organisation.name},
        },
    )


def _colleagues(organisation, *, excluding_user_id):
    return [
        m.user
        for m in selectors.professionals_of_organisation(organisation=organisation)
        if m.user_id != excluding_user_id and m.user.is_active
    ]


@role_required(Role.ORGANISATION_COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_professional(request, membership_id: int):
    """One professional: their signals (by reference only), transfer all, and ending their role."""
    organisation = _coordinated_organisation(request)
    membership = selectors.membership_of_organisation(organisation=organisation, membership_id=membership_id)
    if membership is None:
        raise Http404()
    colleagues = _colleagues(organisation, excluding_user_id=membership.user_id)
    action = request.POST.get("action")
    transfer_form = TransferForm(
        request.POST if action == "transfer_all" else None, colleagues=colleagues, prefix="all"
    )
    deactivate_form = TransferForm(
        request.POST if action == "deactivate" else None, colleagues=colleagues, required=False, prefix="deactivate"
    )
    if request.method == "POST" and action == "transfer_all" and transfer_form.is_valid():
        to = selectors.colleague_of_organisation(
            organisation=organisation, user_id=transfer_form.cleaned_data["to_professional"]
        )
        try:
            count = services.signals_transfer_all(
                from_professional=membership.user,
                to_professional=to,
                actor=request.user,
                organisation=organisation,
                request=request,
            )
        except SignalRefused as error:
            transfer_form.add_error(None, error.message)
        else:
            messages.success(request, _("%(count)s signalen zijn overgedragen.") % {"count": count})
            return redirect("signals:organisation_professional", membership_id=membership.pk)
    if request.method == "POST" and action == "deactivate" and deactivate_form.is_valid():
        chosen = deactivate_form.cleaned_data.get("to_professional")
        to = selectors.colleague_of_organisation(organisation=organisation, user_id=chosen) if chosen else None
        try:
            services.professional_deactivate(membership=membership, transfer_to=to, actor=request.user, request=request)
        except SignalRefused as error:
            deactivate_form.add_error(None, error.message)
        else:
            messages.success(request, _("De rol van meldingsbevoegde is beëindigd."))
            return redirect("signals:organisation_professionals")
    signals = selectors.signals_of_professional(user=membership.user, organisation=organisation)
    return render(
        request,
        "signals/organisation_professional.html",
        {
            "organisation": organisation,
            "membership": membership,
            "signals": signals,
            "active_count": sum(1 for s in signals if s.status == SignalStatus.ACTIVE),
            "transfer_form": transfer_form,
            "deactivate_form": deactivate_form,
            "title": membership.user.full_name or membership.user.email,
        },
    )


@role_required(Role.ORGANISATION_COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_signal_transfer(request, signal_id: int):
    organisation = _coordinated_organisation(request)
    signal = selectors.signal_of_organisation(organisation=organisation, signal_id=signal_id)
    if signal is None:
        raise Http404()
    form = TransferForm(
        form_data(request), colleagues=_colleagues(organisation, excluding_user_id=signal.professional_id)
    )

    def transfer():
        to = selectors.colleague_of_organisation(
            organisation=organisation, user_id=form.cleaned_data["to_professional"]
        )
        services.signal_transfer(signal=signal, to_professional=to, actor=request.user, request=request)
        messages.success(request, _("Signaal %(reference)s is overgedragen.") % {"reference": signal.reference})
        membership = (
            selectors.professionals_of_organisation(organisation=organisation, active=None)
            .filter(user_id=to.pk)
            .first()
        )
        if membership is not None:
            return redirect("signals:organisation_professional", membership_id=membership.pk)
        return redirect("signals:organisation_professionals")

    return form_page(
        request,
        form,
        act=transfer,
        refusals=(SignalRefused,),
        template="signals/organisation_transfer.html",
        context={"signal": signal, "title": _("Signaal %(reference)s overdragen") % {"reference": signal.reference}},
    )

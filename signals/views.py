"""Pages of the signals app: placing a signal (guided steps), my signals, ending, and coordinators' transfers."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from audit import events as audit_events
from core.form_pages import form_action, form_data
from persons.exceptions import PersonLookupError
from persons.models import Youth
from regions.selectors import municipality_label

from . import selectors, services
from .exceptions import BirthDateMismatch, CoverRefused, SignalRefused
from .forms import (
    ConfirmForm,
    ContactForm,
    CoverForm,
    EndForm,
    ExtendForm,
    InformingForm,
    InformingUpdateForm,
    LookupForm,
    ProfileForm,
    TeamContactForm,
    TransferForm,
)
from .models import EndReason, SignalStatus
from .periods import periods_of, planned_dates
from .rules import Party, age_on, parties_to_inform
from .unborn import UNBORN_PARTIES_LABEL

# The placing flow keeps only ids in the session, never the BSN: the youth is looked up once in step 1.
FLOW = "signal_place"
# the ids of the archived signals shown once with a newly placed signal (see place_informing)
PLACED_ARCHIVE = "signal_placed_archive:"


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


def _flow_expected_birth_date(request) -> datetime.date | None:
    """The expected date of birth given in step 1 for an unborn child (signals/views_unborn.py), else None."""
    value = (_flow(request) or {}).get("expected_birth_date")
    return datetime.date.fromisoformat(value) if value else None


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
    return render(
        request,
        "signals/place_lookup.html",
        {
            "form": form,
            "title": _("Signaal afgeven"),
            "step": 1,
            "unborn_allowed": getattr(request, "region", None) is not None and request.region.unborn_signals_allowed,
        },
    )


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
    audit_events.youth_data_viewed(request=request, youth_pseudonym=youth.pseudonym, page="signal_place_confirm")
    return render(
        request,
        "signals/place_confirm.html",
        {
            "form": ConfirmForm(),
            "youth": youth,
            "birth_date": brp_date_display(youth.birth_date_brp),
            "expected_birth_date": _flow_expected_birth_date(request),
            "municipality": municipality_label(youth.municipality_code, youth.municipality_name),
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
    age = age_on(youth.birth_date, timezone.localdate())
    form = InformingForm(form_data(request))
    return form_action(
        request,
        form,
        action=lambda data: services.signal_place(
            professional=request.user,
            organisation=organisation,
            youth=youth,
            informing=form.informing(),
            request=request,
            expected_birth_date=_flow_expected_birth_date(request),
        ),
        done=None,
        then=lambda signal: _placed_show(request, signal),
        refusals=(SignalRefused,),
        template="signals/place_informing.html",
        context={
            "parties": (
                [UNBORN_PARTIES_LABEL] if youth.is_unborn else [Party.LABELS[party] for party in parties_to_inform(age)]
            ),
            "title": _("Informeren"),
            "step": 4,
        },
    )


def _placed_show(request, signal):
    """The flow is over; the archive of others is shown once, and that showing is decided (and logged) here, in
    the POST: opening the next page (a GET) changes nothing."""
    request.session.pop(FLOW, None)
    archive = services.signal_archive_show(signal=signal, request=request)
    request.session[f"{PLACED_ARCHIVE}{signal.pk}"] = [entry.pk for entry in archive]
    return redirect("signals:placed", signal_id=signal.pk)


@role_required(Role.PROFESSIONAL)
@require_http_methods(["POST"])
def place_cancel(request):
    request.session.pop(FLOW, None)
    messages.info(request, _("Het afgeven van het signaal is afgebroken. Er is niets vastgelegd."))
    return redirect("signals:list")


def _own_signal(request, signal_id):
    """A signal the user may act on: their own, or a colleague's they cover for today (waarneming)."""
    signal = selectors.signal_actable_by(user=request.user, signal_id=signal_id, region=request.region)
    if signal is None:
        raise Http404()
    return signal


@role_required(Role.PROFESSIONAL)
def placed(request, signal_id: int):
    """Step 5: what happens next; the archive of others on this youth is shown here once."""
    signal = _own_signal(request, signal_id)
    archive = selectors.signals_shown_with(
        signal=signal, signal_ids=request.session.get(f"{PLACED_ARCHIVE}{signal.pk}", [])
    )
    return render(
        request, "signals/placed.html", {"signal": signal, "archive": archive, "title": _("Signaal afgegeven")}
    )


@role_required(Role.PROFESSIONAL)
def signal_list(request):
    """My signals: active and archived, only the user's own, in this region."""
    signals = list(selectors.signals_of_professional(user=request.user).filter(organisation__region=request.region))
    covered = list(selectors.signals_covered_by(user=request.user).filter(organisation__region=request.region))
    signals += covered
    counts = selectors.match_counts([signal.pk for signal in signals])
    if signals:
        audit_events.youth_data_viewed(
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
            "active": [s for s in signals if s.status == SignalStatus.ACTIVE and s not in covered],
            "archived": [s for s in signals if s.status == SignalStatus.ARCHIVED],
            "covered": covered,
            "tasks": selectors.tasks_of_professional(user=request.user, region=request.region),
            "counts_known": bool(counts) or selectors.match_counts_known(),
            "title": _("Mijn signalen"),
        },
    )


@role_required(Role.PROFESSIONAL)
def signal_detail(request, signal_id: int):
    signal = _own_signal(request, signal_id)
    audit_events.youth_data_viewed(
        request=request,
        youth_pseudonym=signal.youth.pseudonym,
        signal_id=signal.pk,
        page="signal_detail",
    )
    counts = selectors.match_counts([signal.pk])
    labels = {**Party.LABELS, Party.PARENTS: UNBORN_PARTIES_LABEL} if signal.youth.is_unborn else Party.LABELS
    whom = [labels.get(code, code) for code in signal.informed_whom.split(",") if code]
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "youth": signal.youth,
            "birth_date": brp_date_display(signal.youth.birth_date_brp),
            "informed_whom": whom,
            "match_count": counts.get(signal.pk),
            "covering_for": signal.professional if signal.professional_id != request.user.pk else None,
            "may_extend": signal.status == SignalStatus.ACTIVE and signal.ends_on >= timezone.localdate(),
            "may_update_expected": signal.status == SignalStatus.ACTIVE and signal.youth.is_unborn,
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
                {
                    "signal": signal,
                    "reason": reason,
                    "periods": periods_of(signal.organisation),
                    "title": _("Bevestig het beëindigen"),
                },
            )
        try:
            ended = services.signal_end(signal=signal, reason=reason, actor=request.user, request=request)
        except SignalRefused as error:
            messages.error(request, error.message)
            return redirect("signals:list")
        if reason == EndReason.CONCERN_GONE:
            messages.success(
                request,
                _("Het signaal is beëindigd en staat in het archief tot %(day)s.")
                % {"day": formats.date_format(ended.archive_until)},
            )
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

    def transfer(data):
        to = selectors.colleague_of_organisation(organisation=organisation, user_id=data["to_professional"])
        services.signal_transfer(signal=signal, to_professional=to, actor=request.user, request=request)
        return to

    def then(to):
        membership = (
            selectors.professionals_of_organisation(organisation=organisation, active=None)
            .filter(user_id=to.pk)
            .first()
        )
        if membership is not None:
            return redirect("signals:organisation_professional", membership_id=membership.pk)
        return redirect("signals:organisation_professionals")

    return form_action(
        request,
        form,
        action=transfer,
        done=_("Signaal %(reference)s is overgedragen.") % {"reference": signal.reference},
        then=then,
        refusals=(SignalRefused,),
        template="signals/organisation_transfer.html",
        context={"signal": signal, "title": _("Signaal %(reference)s overdragen") % {"reference": signal.reference}},
    )


# Everyday work (issue 19): extending, informing later, the profile, team contact, cover


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def signal_extend(request, signal_id: int):
    """Extend before the end: a new period from today, informing recorded again; the same signal and matches."""
    signal = _own_signal(request, signal_id)
    today = timezone.localdate()
    new_end = planned_dates(organisation=signal.organisation, birth_date=signal.youth.birth_date, start=today)[
        "ends_on"
    ]
    form = ExtendForm(form_data(request))

    return form_action(
        request,
        form,
        action=lambda data: services.signal_extend(
            signal=signal, actor=request.user, informing=form.informing(), request=request
        ),
        done=lambda extended: (
            _("Signaal %(reference)s is verlengd. Het is nu actief tot en met %(day)s.")
            % {"reference": extended.reference, "day": formats.date_format(extended.ends_on)}
        ),
        then=lambda extended: redirect("signals:detail", signal_id=extended.pk),
        refusals=(SignalRefused,),
        template="signals/extend.html",
        context={
            "signal": signal,
            "new_end": new_end,
            "periods": periods_of(signal.organisation),
            "parties": [Party.LABELS[party] for party in parties_to_inform(age_on(signal.youth.birth_date, today))],
            "title": _("Signaal %(reference)s verlengen") % {"reference": signal.reference},
        },
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def signal_informing(request, signal_id: int):
    """A postponed informing, later: informed after all (whom, when, how), or the renewed reason."""
    signal = _own_signal(request, signal_id)
    form = InformingUpdateForm(form_data(request))

    age = age_on(signal.youth.birth_date, timezone.localdate())
    return form_action(
        request,
        form,
        action=lambda data: services.signal_informing_update(
            signal=signal, actor=request.user, informing=form.informing(), request=request
        ),
        done=_("Het informeren is bijgewerkt."),
        then=lambda _result: redirect("signals:detail", signal_id=signal.pk),
        refusals=(SignalRefused,),
        template="signals/informing_update.html",
        context={
            "signal": signal,
            "parties": [Party.LABELS[party] for party in parties_to_inform(age)],
            "title": _("Informeren bij signaal %(reference)s") % {"reference": signal.reference},
        },
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def profile(request):
    """The name, e-mail and phone matched colleagues see; changing them on the active signals asks to confirm."""
    user = request.user
    initial = {"full_name": user.full_name, "contact_email": user.contact_email or user.email, "phone": user.phone}
    form = ContactForm(form_data(request), initial=initial)
    active_count = selectors.signals_of_professional(user=user).filter(status=SignalStatus.ACTIVE).count()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["update_signals"] and active_count and not data["confirmed"]:
            return render(
                request,
                "signals/profile_confirm.html",
                {"form": form, "data": data, "active_count": active_count, "title": _("Bevestig uw wijziging")},
            )
        updated = services.professional_contact_update(
            user=user,
            full_name=data["full_name"],
            phone=data["phone"],
            contact_email=data["contact_email"] or user.email,
            update_signals=data["update_signals"],
            request=request,
        )
        if updated:
            messages.success(
                request,
                _("Uw gegevens zijn opgeslagen en op %(count)s actieve signalen aangepast.") % {"count": updated},
            )
        else:
            messages.success(request, _("Uw gegevens zijn opgeslagen. Nieuwe signalen krijgen deze gegevens."))
        return redirect("signals:profile")
    return render(
        request,
        "signals/profile.html",
        {
            "form": form,
            "active_count": active_count,
            "covers": selectors.covers_of_user(user=user),
            "organisations": _professional_organisations(request),
            "title": _("Mijn gegevens"),
        },
    )


def _cover_page(request, *, organisation, form, absent, done_message, done_url: str, context):
    """The cover form of a professional (for themself) or a coordinator (for anyone): record it, or show why not."""

    def create(data):
        absent_user = absent(data)
        covering = selectors.colleague_of_organisation(organisation=organisation, user_id=data["covering"])
        if absent_user is None or covering is None:
            raise CoverRefused(_("De waarnemer moet een meldingsbevoegde collega van dezelfde organisatie zijn."))
        services.cover_create(
            organisation=organisation,
            absent=absent_user,
            covering=covering,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
            request=request,
        )

    return form_action(
        request,
        form,
        action=create,
        done=done_message,
        then=done_url,
        refusals=(SignalRefused,),
        template="signals/cover.html",
        context=context,
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def cover_own(request):
    """A professional names a colleague of their organisation to cover for them (waarneming)."""
    organisation = _professional_organisations(request)[0]
    return _cover_page(
        request,
        organisation=organisation,
        form=CoverForm(form_data(request), colleagues=_colleagues(organisation, excluding_user_id=request.user.pk)),
        absent=lambda data: request.user,
        done_message=_("De waarneming is vastgelegd. Uw collega krijgt bericht."),
        done_url="signals:cover_own",
        context=lambda: {
            "covers": selectors.covers_of_user(user=request.user),
            "organisation": organisation,
            "title": _("Waarneming"),
        },
    )


@role_required(Role.ORGANISATION_COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_covers(request):
    """The organisation's coordinator names a colleague to cover for an absent professional."""
    organisation = _coordinated_organisation(request)
    professionals = [
        m.user for m in selectors.professionals_of_organisation(organisation=organisation) if m.user.is_active
    ]
    return _cover_page(
        request,
        organisation=organisation,
        form=CoverForm(form_data(request), colleagues=professionals, absentees=professionals),
        absent=lambda data: selectors.colleague_of_organisation(organisation=organisation, user_id=data["absent"]),
        done_message=_("De waarneming is vastgelegd. De waarnemer krijgt bericht."),
        done_url="signals:organisation_covers",
        context=lambda: {
            "covers": selectors.covers_of_organisation(organisation=organisation),
            "organisation": organisation,
            "title": _("Waarnemingen van %(organisation)s") % {"organisation": organisation.name},
        },
    )


@role_required(Role.PROFESSIONAL, Role.ORGANISATION_COORDINATOR)
@require_http_methods(["POST"])
def cover_withdraw(request, cover_id: int):
    cover = selectors.cover_visible_to(user=request.user, cover_id=cover_id, region=request.region)
    if cover is None:
        raise Http404()
    try:
        services.cover_withdraw(cover=cover, actor=request.user, request=request)
    except SignalRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De waarneming is beëindigd."))
    if request.membership.role == Role.ORGANISATION_COORDINATOR:
        return redirect("signals:organisation_covers")
    return redirect("signals:cover_own")


@role_required(Role.ORGANISATION_COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_team_contact(request):
    """A team mailbox and phone shown to matched colleagues on all the organisation's active signals."""
    organisation = _coordinated_organisation(request)
    form = TeamContactForm(
        form_data(request), initial={"team_email": organisation.team_email, "team_phone": organisation.team_phone}
    )

    return form_action(
        request,
        form,
        action=lambda data: services.organisation_team_contact_set(
            organisation=organisation,
            team_email=data["team_email"],
            team_phone=data["team_phone"],
            actor=request.user,
            request=request,
        ),
        done=lambda count: (
            _("Opgeslagen. De contactgegevens van %(count)s actieve signalen zijn aangepast.") % {"count": count}
        ),
        then="signals:organisation_team_contact",
        refusals=(SignalRefused,),
        template="signals/team_contact.html",
        context={
            "organisation": organisation,
            "title": _("Teamcontact van %(organisation)s") % {"organisation": organisation.name},
        },
    )

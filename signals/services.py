"""Every write on signals: placing, ending (archive or destroy), transferring, and a professional leaving."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from audit import events as audit_events
from core.links import region_url
from persons.models import Youth
from persons.services import (
    birth_date_matches,  # noqa: F401 - the one comparison, for callers of signals
    youth_by_bsn,
)
from regions.models import Organisation

from . import hooks
from .bulk import rows_delete
from .exceptions import (
    ConvenantNotStarted,
    CoverRefused,
    ExtensionRefused,
    InformingIncomplete,
    InformingUpdateRefused,
    NotAProfessional,
    NotYourSignal,
    OrganisationInactive,
    SignalAlreadyActive,
    SignalNotActive,
    SignalRefused,
    TransferRefused,
    YouthDeceased,
    YouthTooOld,
)
from .logbook import log_events
from .models import ARCHIVING_REASONS, Cover, EndReason, InformingStatus, Signal, SignalStatus
from .notify import notify
from .periods import periods_of, planned_dates, signal_archive_until, too_old
from .rules import Party, age_on, parties_to_inform, unborn_place_check
from .selectors import archive_for_new_signal, is_coordinator_of, is_professional_of, may_act_on_signal

logger = logging.getLogger(__name__)

UNIQUE_ACTIVE_CONSTRAINT = "one_active_signal_per_professional_and_youth"


def signal_url(signal: Signal) -> str:
    """An absolute link to the signal's page on its region's host (for e-mails)."""
    return region_url(signal.organisation.region, reverse("signals:detail", args=[signal.pk]))


def informing_clean(informing: dict, *, age: int, placed_on: datetime.date) -> dict:
    """The informing fields of a signal from the flow's answers; raises InformingIncomplete naming what is missing."""
    status = informing.get("status")
    if status not in InformingStatus.values:
        raise InformingIncomplete()
    whom = [party for party in informing.get("whom") or [] if party in Party.LABELS]
    fields = {
        "informing_status": status,
        "informed_whom": "",
        "informed_on": None,
        "informed_how": "",
        "informing_reason": "",
        "objection_voiced": bool(informing.get("objection_voiced")),
        "objection_override_reason": (informing.get("objection_override_reason") or "").strip(),
    }
    if status == InformingStatus.INFORMED:
        missing = [party for party in parties_to_inform(age) if party not in whom]
        if missing:
            raise InformingIncomplete(
                _("Bij deze leeftijd moet u ook %(parties)s informeren, of kiezen voor uitstellen of niet informeren.")
                % {"parties": ", ".join(str(Party.LABELS[party]) for party in missing)}
            )
        informed_on = informing.get("on")
        if not informed_on:
            raise InformingIncomplete(_("Vul in wanneer u heeft geïnformeerd."))
        if informed_on > placed_on:
            raise InformingIncomplete(_("De datum van informeren kan niet in de toekomst liggen."))
        how = (informing.get("how") or "").strip()
        if not how:
            raise InformingIncomplete(_("Vul in hoe u heeft geïnformeerd (bijvoorbeeld in een gesprek of per brief)."))
        fields.update(informed_whom=",".join(whom), informed_on=informed_on, informed_how=how)
    else:
        reason = (informing.get("reason") or "").strip()
        if not reason:
            raise InformingIncomplete(_("Geef de reden waarom u (nog) niet informeert."))
        fields["informing_reason"] = reason
    if fields["objection_voiced"] and not fields["objection_override_reason"]:
        raise InformingIncomplete(_("Er is bezwaar gemaakt. Geef de reden waarom u het signaal toch afgeeft."))
    if not fields["objection_voiced"]:
        fields["objection_override_reason"] = ""
    return fields


def youth_too_old_message(organisation) -> str:
    """The refusal at the region's maximum age: the law's 23, or the region's own lower age."""
    max_age = periods_of(organisation).max_age
    if max_age == 23:
        return YouthTooOld.message
    return _(
        "Deze persoon is %(age)s jaar of ouder. In deze regio kan een signaal alleen worden afgegeven voor een "
        "jeugdige tot %(age)s jaar."
    ) % {"age": max_age}


def signal_place_check_organisation(*, professional, organisation, as_of: datetime.date | None = None) -> None:
    """The refusals about who places the signal: checked before the BRP is asked anything."""
    today = as_of or timezone.localdate()
    if organisation is None or not is_professional_of(user=professional, organisation=organisation):
        raise NotAProfessional()
    if not organisation.active:
        raise OrganisationInactive()
    if organisation.convenant_date is None or organisation.convenant_date > today:
        raise ConvenantNotStarted()


def signal_place_check(
    *, professional, organisation, youth: Youth, as_of: datetime.date | None = None, expected_birth_date=None
) -> None:
    """Every refusal that does not depend on the informing answers, so the flow can stop early with its message."""
    today = as_of or timezone.localdate()
    signal_place_check_organisation(professional=professional, organisation=organisation, as_of=today)
    unborn_place_check(organisation=organisation, youth=youth, expected_birth_date=expected_birth_date, today=today)
    if youth.date_of_death is not None:
        raise YouthDeceased()
    if too_old(organisation=organisation, birth_date=youth.birth_date, on=today):
        raise YouthTooOld(youth_too_old_message(organisation))
    if Signal.objects.filter(professional=professional, youth=youth, status=SignalStatus.ACTIVE).exists():
        raise SignalAlreadyActive()


def signal_place_lookup(
    *, professional, organisation, bsn: str, birth_date: datetime.date, request=None, api_organisation=None
) -> Youth:
    """The first part of placing, for the browser and the API alike: the youth by BSN and date of birth, checked.

    Refuses (SignalRefused, or persons' PersonLookupError) before anything is written: the organisation may not
    place, no person has this BSN and date of birth (one answer: docs/adr/0003-look-up-limits.md), or the youth
    cannot get a signal from this professional. The BRP look-up is persons.services.youth_by_bsn, with its own
    limits and logbook entry: call this outside a transaction, so that the entry stays when placing fails.
    `api_organisation`: the API client's organisation, whose look-ups are limited together.
    """
    signal_place_check_organisation(professional=professional, organisation=organisation)
    youth = youth_by_bsn(
        bsn=bsn, birth_date=birth_date, actor=professional, request=request, organisation=api_organisation
    )
    signal_place_check(professional=professional, organisation=organisation, youth=youth)
    return youth


def signal_place(
    *,
    professional,
    organisation,
    youth: Youth,
    informing: dict,
    request=None,
    as_of: datetime.date | None = None,
    expected_birth_date: datetime.date | None = None,
) -> Signal:
    """Place a signal; the placed hooks run inside the transaction (matching enqueues its detection there).

    An unborn child's row (signals/unborn.py) needs `expected_birth_date`; any other youth ignores it."""
    today = as_of or timezone.localdate()
    now = timezone.now() if as_of is None else _noon(today)
    expected_birth_date = expected_birth_date if youth.is_unborn else None
    fields = informing_clean(informing, age=age_on(youth.birth_date, today), placed_on=today)
    with transaction.atomic():
        signal_place_check(
            professional=professional,
            organisation=organisation,
            youth=youth,
            as_of=today,
            expected_birth_date=expected_birth_date,
        )
        try:
            # no savepoint of its own: after a refused insert nothing more is sent, the whole placement rolls back
            signal = Signal.objects.create(
                youth=youth,
                professional=professional,
                organisation=organisation,
                **contact_details(professional=professional, organisation=organisation),
                placed_at=now,
                # the region's periods of today, as the professional is told them (signals/periods.py)
                **planned_dates(organisation=organisation, birth_date=youth.birth_date, start=today),
                informing_recorded_on=today,
                expected_birth_date=expected_birth_date,
                **fields,
            )
        except IntegrityError as error:
            # two placements at the same moment: the database keeps one, the other gets the same message
            if UNIQUE_ACTIVE_CONSTRAINT in str(error):
                raise SignalAlreadyActive() from None
            raise
        hooks.signal_placed(signal)
        # last: the logbook lock serialises every logbook write in the country and is held until the commit
        audit_events.signal_placed(
            actor=professional,
            request=request,
            region_id=organisation.region_id,
            youth_pseudonym=youth.pseudonym,
            signal_id=signal.pk,
            organisation_id=organisation.pk,
            ends_on=signal.ends_on.isoformat(),
            informing_status=signal.informing_status,
        )
    return signal


# An archived signal is history kept for new parties: only a decision on a citizen's request destroys it early
# (the life cycle destroys it at 23, at death or when its archive period ends). A professional's second "end",
# by the browser or the API, is refused (issue 16, finding 6).
REASONS_FOR_ARCHIVED = (EndReason.OBJECTION_UPHELD, EndReason.CORRECTION)


def signal_end(*, signal: Signal, reason: str, actor=None, request=None, as_of: datetime.date | None = None) -> Signal:
    """End a signal. Concern gone / expired: archived. Any other reason: destroyed at once (row deleted).

    The ending hooks run first, inside the transaction, while the signal is still as it was.
    Returns the signal; after destruction its pk is None.
    """
    today = as_of or timezone.localdate()
    reason = EndReason(reason)
    with transaction.atomic():
        locked = signal_locked(signal)
        if locked.status != SignalStatus.ACTIVE and reason not in REASONS_FOR_ARCHIVED:
            raise SignalNotActive()
        if reason in ARCHIVING_REASONS:
            hooks.signal_ending(locked, reason)
            locked.status = SignalStatus.ARCHIVED
            locked.ended_at = timezone.now() if as_of is None else _noon(today)
            locked.end_reason = reason
            locked.archive_until = signal_archive_until(locked, ended_on=today)
            locked.save(update_fields=["status", "ended_at", "end_reason", "archive_until"])
            (audit_events.signal_expired if reason == EndReason.EXPIRED else audit_events.signal_ended)(
                actor=actor,
                request=request,
                region_id=locked.organisation.region_id,
                youth_pseudonym=locked.youth.pseudonym,
                signal_id=locked.pk,
                reason=reason.value,
                outcome="archived",
                archive_until=locked.archive_until.isoformat(),
            )
            return locked
        hooks.signal_ending(locked, reason)
        signals_destroy(signals=[locked], reason=reason, actor=actor, request=request, run_hooks=False)
    return locked


def signals_destroy(*, signals: list[Signal], reason: str, actor=None, request=None, run_hooks: bool = True) -> int:
    """Destroy these signals (rows deleted, logbook keeps pseudonym + signal id + reason) and orphaned youths.

    Runs in the caller's transaction; the signals must be locked by the caller. Used by signal_end and by
    the life cycle's batches, in a fixed number of statements however many signals.
    """
    if not signals:
        return 0
    with transaction.atomic():
        if run_hooks:
            hooks.signals_ending(signals, reason)
        logged = Signal.objects.filter(pk__any=[signal.pk for signal in signals]).order_by("pk")
        log_events(
            [
                {
                    "action": "signal_destroyed",
                    "actor": actor,
                    "request": request,
                    "region_id": region_id,
                    "youth_pseudonym": pseudonym,
                    "signal_id": signal_id,
                    "reason": str(reason),
                    "status_before": status,
                }
                for signal_id, region_id, pseudonym, status in logged.values_list(
                    "pk", "organisation__region_id", "youth__pseudonym", "status"
                )
            ]
        )
        youth_ids = {signal.youth_id for signal in signals}
        rows_delete(Signal, [signal.pk for signal in signals])
        for signal in signals:
            signal.pk = None
        youths_destroy_orphaned(youth_ids=youth_ids, actor=actor, request=request)
    return len(signals)


def youths_destroy_orphaned(*, youth_ids, actor=None, request=None) -> int:
    """Delete the personal data of these youths when nothing (no signal, active or archived) refers to them any more.

    A youth something else still holds on to (PROTECT) is left alone; in a fixed number of statements.
    """
    destroyed = rows_delete(Youth, youth_ids, returning=("pseudonym",))
    log_events(
        [
            {"action": "youth_data_destroyed", "actor": actor, "request": request, "youth_pseudonym": pseudonym}
            for _youth_id, pseudonym in destroyed
        ]
    )
    return len(destroyed)


def signal_archive_show(*, signal: Signal, request=None) -> list[Signal]:
    """The archived signals of others on this youth, the first time only; each showing is logged."""
    with transaction.atomic():
        locked = Signal.objects.select_for_update(no_key=True).get(pk=signal.pk)
        if locked.archive_shown_at is not None:
            return []
        entries = list(archive_for_new_signal(signal=locked))
        locked.archive_shown_at = timezone.now()
        locked.save(update_fields=["archive_shown_at"])
        if entries:
            audit_events.signal_archive_shown(
                actor=locked.professional,
                request=request,
                region_id=request.region.pk if request is not None and getattr(request, "region", None) else None,
                youth_pseudonym=signal.youth.pseudonym,
                signal_id=locked.pk,
                shown_signal_ids=[entry.pk for entry in entries],
            )
    return entries


def _check_transfer(signal: Signal, to_professional) -> None:
    if to_professional.pk == signal.professional_id:
        raise TransferRefused(_("Het signaal staat al op naam van deze collega."))
    if not is_professional_of(user=to_professional, organisation=signal.organisation):
        raise TransferRefused(
            _("Een signaal kan alleen worden overgedragen aan een meldingsbevoegde collega van dezelfde organisatie.")
        )
    if (
        signal.status == SignalStatus.ACTIVE
        and Signal.objects.filter(professional=to_professional, youth_id=signal.youth_id, status=SignalStatus.ACTIVE)
        .exclude(pk=signal.pk)
        .exists()
    ):
        raise _colleague_holds_one(signal)


def _colleague_holds_one(signal: Signal) -> TransferRefused:
    return TransferRefused(
        _(
            "Deze collega heeft zelf al een actief signaal op dezelfde jeugdige (signaal %(reference)s). "
            "Kies een andere collega."
        )
        % {"reference": signal.reference}
    )


def _transfer(signal: Signal, to_professional, actor, request) -> Signal:
    old_professional = signal.professional
    signal.professional = to_professional
    for name, value in contact_details(professional=to_professional, organisation=signal.organisation).items():
        setattr(signal, name, value)
    try:
        signal.save(update_fields=["professional", "contact_name", "contact_email", "contact_phone"])
    except IntegrityError as error:
        # the colleague placed a signal on the same youth after the check above: the database keeps theirs
        if UNIQUE_ACTIVE_CONSTRAINT in str(error):
            raise _colleague_holds_one(signal) from None
        raise
    audit_events.signal_transferred(
        actor=actor,
        request=request,
        region_id=signal.organisation.region_id,
        youth_pseudonym=signal.youth.pseudonym,
        signal_id=signal.pk,
        from_user_id=old_professional.pk,
        to_user_id=to_professional.pk,
    )
    hooks.signal_transferred(signal, old_professional)
    return signal


def signals_locked(queryset) -> list[Signal]:
    """These signals locked until the commit (in id order, so two writers never wait on each other crosswise), then
    read again with their youth, organisation, region and professional. Inside a transaction."""
    ids = list(queryset.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    return list(
        Signal.objects.filter(pk__in=ids).select_related("youth", "organisation__region", "professional").order_by("pk")
    )


def signal_locked(signal: Signal) -> Signal:
    """The signal locked and read again (`signals_locked`); refused when it no longer exists."""
    locked = signals_locked(Signal.objects.filter(pk=signal.pk))
    if not locked:
        raise SignalNotActive(_("Dit signaal bestaat niet meer."))
    return locked[0]


def signal_transfer(*, signal: Signal, to_professional, actor, request=None) -> Signal:
    """Move one signal to a colleague of the same organisation; both professionals are told by e-mail."""
    with transaction.atomic():
        signal = signal_locked(signal)
        _check_transfer(signal, to_professional)
        old_professional = signal.professional
        _transfer(signal, to_professional, actor, request)
        _notify_transfer(signals=[signal], old_professional=old_professional, to_professional=to_professional)
    return signal


def signals_transfer_all(
    *, from_professional, to_professional, actor, organisation=None, request=None, active_only: bool = False
) -> int:
    """Move every signal (active and archived) of a professional in an organisation to one colleague.

    All or nothing: when the colleague already holds an active signal on one of the youths, nothing moves
    and the refusal says so.
    """
    with transaction.atomic():
        signals = Signal.objects.filter(professional=from_professional)
        if organisation is not None:
            signals = signals.filter(organisation=organisation)
        if active_only:
            signals = signals.filter(status=SignalStatus.ACTIVE)
        locked = signals_locked(signals)
        for signal in locked:
            _check_transfer(signal, to_professional)
        for signal in locked:
            _transfer(signal, to_professional, actor, request)
        if locked:
            _notify_transfer(signals=locked, old_professional=from_professional, to_professional=to_professional)
    return len(locked)


def _notify_transfer(*, signals: list[Signal], old_professional, to_professional) -> None:
    references = [signal.reference for signal in signals]
    context = {
        "references": references,
        "links": [signal_url(signal) for signal in signals if signal.status == SignalStatus.ACTIVE],
        "organisation": signals[0].organisation.name,
        "from_name": old_professional.full_name,
        "to_name": to_professional.full_name,
        "count": len(signals),
    }
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(
        recipient=old_professional,
        kind="signal_transferred_away",
        subject=_("Uw signalen zijn overgedragen aan een collega"),
        template="signals/email/transferred_away",
        context=context,
        dedupe_key=f"signal-transfer-away:{old_professional.pk}:{signals[0].pk}:{stamp}",
    )
    notify(
        recipient=to_professional,
        kind="signal_transferred_to",
        subject=_("U heeft signalen van een collega overgenomen"),
        template="signals/email/transferred_to",
        context=context,
        dedupe_key=f"signal-transfer-to:{to_professional.pk}:{signals[0].pk}:{stamp}",
    )


def professional_deactivate(*, membership: Membership, transfer_to=None, actor, request=None) -> Membership:
    """End a professional's role in an organisation; active signals must be transferred to a colleague first."""
    if membership.role != Role.PROFESSIONAL:
        raise TransferRefused(_("Alleen de rol meldingsbevoegde kan hier worden beëindigd."))
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "organisation")
            .get(pk=membership.pk)
        )
        active = Signal.objects.filter(
            professional=membership.user, organisation=membership.organisation, status=SignalStatus.ACTIVE
        ).count()
        if transfer_to is None and active:
            raise TransferRefused(
                _("Deze meldingsbevoegde heeft nog %(count)s actieve signalen. Draag ze eerst over aan een collega.")
                % {"count": active}
            )
        if transfer_to is not None:
            signals_transfer_all(
                from_professional=membership.user,
                to_professional=transfer_to,
                actor=actor,
                organisation=membership.organisation,
                request=request,
            )
        membership.active = False
        membership.save(update_fields=["active"])
        audit_events.membership_deactivated(
            actor=actor,
            request=request,
            region_id=membership.organisation.region_id,
            membership_id=membership.pk,
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
        )
    return membership


# Everyday work beside placing (issue 19): extending, informing later, contact details, cover (waarneming)


def contact_details(*, professional, organisation) -> dict:
    """The contact details matched colleagues see on a signal: the professional's name, and the organisation's team
    mailbox and phone where it set them, else the professional's own (profile) address and phone."""
    return {
        "contact_name": professional.full_name or professional.email,
        "contact_email": organisation.team_email or professional.contact_email or professional.email,
        "contact_phone": organisation.team_phone or professional.phone or organisation.phone,
    }


def _lock_active_for(signal: Signal, actor, today: datetime.date, refusal: type[SignalRefused]) -> Signal:
    """The signal locked, refused unless it is active and the actor is its professional or covers for them today."""
    locked = signal_locked(signal)
    if not may_act_on_signal(user=actor, signal=locked, as_of=today):
        raise NotYourSignal()
    if locked.status != SignalStatus.ACTIVE:
        raise refusal(_("Dit signaal is gearchiveerd. Een gearchiveerd signaal kan niet meer worden gewijzigd."))
    return locked


def signal_extend(
    *, signal: Signal, actor, informing: dict, request=None, as_of: datetime.date | None = None
) -> Signal:
    """Extend an active signal before its end: a new period from today (rules.planned_end), informing recorded again.

    The signal keeps its id, reference and matches; the logbook and the statistics count an extension, not a new
    signal (action `signal_extended`, hook `signal_extended`)."""
    today = as_of or timezone.localdate()
    with transaction.atomic():
        locked = _lock_active_for(signal, actor, today, ExtensionRefused)
        if locked.ends_on < today:
            raise ExtensionRefused(
                _(
                    "Dit signaal is verlopen op %(day)s. Verlengen kan alleen vóór het einde; geef zo nodig een nieuw "
                    "signaal af."
                )
                % {"day": formats.date_format(locked.ends_on + datetime.timedelta(days=1))}
            )
        birth_date = locked.youth.birth_date
        if too_old(organisation=locked.organisation, birth_date=birth_date, on=today):
            raise ExtensionRefused(youth_too_old_message(locked.organisation))
        planned = planned_dates(organisation=locked.organisation, birth_date=birth_date, start=today)
        new_end = planned["ends_on"]
        if new_end <= locked.ends_on:
            max_age = periods_of(locked.organisation).max_age
            raise ExtensionRefused(
                _(
                    "Verlengen kan niet: het signaal loopt al tot de dag voor de 23e verjaardag van de jeugdige, "
                    "en een signaal loopt nooit langer."
                )
                if max_age == 23
                else _(
                    "Verlengen kan niet: het signaal loopt al zo lang als de regio toestaat (hoogstens tot de dag "
                    "voor de %(age)se verjaardag van de jeugdige)."
                )
                % {"age": max_age}
            )
        fields = informing_clean(informing, age=age_on(birth_date, today), placed_on=today)
        # informing again means after the informing recorded for the current period
        previous = max(filter(None, (locked.informed_on, timezone.localdate(locked.extended_at or locked.placed_at))))
        if fields["informed_on"] is not None and fields["informed_on"] <= previous and fields["informed_on"] < today:
            raise InformingIncomplete(
                _(
                    "Informeer opnieuw voor de verlenging: de datum van informeren moet na %(day)s liggen, "
                    "de vorige keer dat u informeerde of het begin van de huidige periode."
                )
                % {"day": formats.date_format(previous)}
            )
        ends_on_before = locked.ends_on
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.ends_on = new_end
        locked.destroy_by = planned["destroy_by"]
        locked.extended_at = timezone.now() if as_of is None else _noon(today)
        locked.extension_count += 1
        locked.reminder_sent_at = None
        locked.informing_recorded_on = today
        locked.save(
            update_fields=[
                *fields,
                "ends_on",
                "destroy_by",
                "extended_at",
                "extension_count",
                "reminder_sent_at",
                "informing_recorded_on",
            ]
        )
        hooks.signal_extended(locked)
        audit_events.signal_extended(
            actor=actor,
            request=request,
            region_id=locked.organisation.region_id,
            youth_pseudonym=locked.youth.pseudonym,
            signal_id=locked.pk,
            ends_on_before=ends_on_before.isoformat(),
            ends_on=new_end.isoformat(),
            informing_status=locked.informing_status,
            **on_behalf_of(locked, actor),
        )
    return locked


def signal_informing_update(
    *, signal: Signal, actor, informing: dict, request=None, as_of: datetime.date | None = None
) -> Signal:
    """Record later that a postponed informing was done (whom, when, how), or the renewed reason to postpone it."""
    today = as_of or timezone.localdate()
    with transaction.atomic():
        locked = _lock_active_for(signal, actor, today, InformingUpdateRefused)
        if locked.informing_status != InformingStatus.POSTPONED:
            raise InformingUpdateRefused(
                _(
                    "Alleen een uitgesteld informeren kan later worden bijgewerkt. Bij dit signaal is het informeren "
                    "al vastgelegd als: %(status)s."
                )
                % {"status": locked.get_informing_status_display()}
            )
        if informing.get("status") == InformingStatus.OMITTED:
            raise InformingUpdateRefused(_("Kies: geïnformeerd, of opnieuw uitgesteld met de reden."))
        fields = informing_clean(informing, age=age_on(locked.youth.birth_date, today), placed_on=today)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.informing_recorded_on = today
        locked.save(update_fields=[*fields, "informing_recorded_on"])
        audit_events.signal_informing_updated(
            actor=actor,
            request=request,
            region_id=locked.organisation.region_id,
            youth_pseudonym=locked.youth.pseudonym,
            signal_id=locked.pk,
            informing_status=locked.informing_status,
            **on_behalf_of(locked, actor),
        )
    return locked


def on_behalf_of(signal: Signal, actor) -> dict:
    """For the logbook: who acted when it was not the signal's own professional (a colleague covering)."""
    if actor is None or actor.pk == signal.professional_id:
        return {}
    return {"on_behalf_of_user_id": signal.professional_id, "acted_as": "cover"}


def professional_contact_update(
    *, user, full_name: str, phone: str, contact_email: str, update_signals: bool, request=None
) -> int:
    """Change the name, phone and e-mail matched colleagues see; with `update_signals` also on the user's active
    signals (archived ones keep the details of their time). Returns the number of signals updated."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        user.full_name = full_name.strip()
        user.phone = phone.strip()
        user.contact_email = "" if contact_email.strip().lower() == user.email.lower() else contact_email.strip()
        user.save(update_fields=["full_name", "phone", "contact_email"])
        updated = _signals_contact_refresh(Signal.objects.filter(professional=user)) if update_signals else 0
        audit_events.contact_details_changed(actor=user, request=request, user_id=user.pk, signals_updated=updated)
    return updated


def organisation_team_contact_set(*, organisation, team_email: str, team_phone: str, actor, request=None) -> int:
    """Set (or clear) the organisation's team mailbox and phone shown on its active signals; returns how many."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.team_email = team_email.strip()
        organisation.team_phone = team_phone.strip()
        organisation.save(update_fields=["team_email", "team_phone"])
        updated = _signals_contact_refresh(Signal.objects.filter(organisation=organisation))
        audit_events.organisation_team_contact_set(
            actor=actor,
            request=request,
            region_id=organisation.region_id,
            organisation_id=organisation.pk,
            signals_updated=updated,
        )
    return updated


def _signals_contact_refresh(signals) -> int:
    """Recompute the contact details of these signals' active ones (locked, in id order)."""
    locked = list(
        signals.filter(status=SignalStatus.ACTIVE)
        .select_for_update(no_key=True, of=("self",))
        .select_related("professional", "organisation")
        .order_by("pk")
    )
    for signal in locked:
        for name, value in contact_details(professional=signal.professional, organisation=signal.organisation).items():
            setattr(signal, name, value)
    Signal.objects.bulk_update(locked, ["contact_name", "contact_email", "contact_phone"])
    return len(locked)


# a cover is for an absence, not a hand-over: longer than this, the coordinator transfers the signals
COVER_MAX_DAYS = 366


def cover_create(
    *,
    organisation,
    absent,
    covering,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
    request=None,
    as_of: datetime.date | None = None,
) -> Cover:
    """A colleague of the same organisation covers for an absent professional from `starts_on` to `ends_on`
    inclusive. Named by the organisation's coordinator or by the absent professional themself."""
    today = as_of or timezone.localdate()
    if not (actor.pk == absent.pk or is_coordinator_of(user=actor, organisation=organisation)):
        raise CoverRefused(
            _("Alleen de coördinator van de organisatie of de professional zelf kan een waarnemer aanwijzen.")
        )
    if not is_professional_of(user=absent, organisation=organisation):
        raise CoverRefused(
            _("Alleen voor een meldingsbevoegde van deze organisatie kan een waarnemer worden aangewezen.")
        )
    if covering.pk == absent.pk:
        raise CoverRefused(_("Kies een collega: iemand kan niet voor zichzelf waarnemen."))
    if not is_professional_of(user=covering, organisation=organisation):
        raise CoverRefused(_("De waarnemer moet een meldingsbevoegde collega van dezelfde organisatie zijn."))
    if starts_on < today:
        raise CoverRefused(_("Een waarneming kan niet in het verleden beginnen. Kies vandaag of een latere datum."))
    if ends_on < starts_on:
        raise CoverRefused(_("De einddatum ligt vóór de begindatum."))
    if (ends_on - starts_on).days >= COVER_MAX_DAYS:
        raise CoverRefused(_("Een waarneming duurt hoogstens een jaar. Draag de signalen anders over aan de collega."))
    with transaction.atomic():
        cover = Cover.objects.create(
            organisation=organisation,
            absent=absent,
            covering=covering,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        audit_events.cover_created(
            actor=actor,
            request=request,
            region_id=organisation.region_id,
            organisation_id=organisation.pk,
            cover_id=cover.pk,
            absent_user_id=absent.pk,
            covering_user_id=covering.pk,
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat(),
        )
        notify(
            recipient=covering,
            kind="cover_assigned",
            subject=_("U neemt waar voor een collega"),
            template="signals/email/cover_assigned",
            context={
                "absent": absent.full_name or absent.email,
                "organisation": organisation.name,
                "starts_on": formats.date_format(starts_on),
                "ends_on": formats.date_format(ends_on),
                "link": region_url(organisation.region, reverse("signals:list")),
            },
            dedupe_key=f"cover-assigned:{cover.pk}",
        )
    return cover


def cover_withdraw(*, cover: Cover, actor, request=None) -> Cover:
    """End a cover early (the coordinator, the absent professional or the colleague covering)."""
    allowed = {cover.absent_id, cover.covering_id}
    if actor.pk not in allowed and not is_coordinator_of(user=actor, organisation=cover.organisation):
        raise CoverRefused(_("U kunt deze waarneming niet intrekken."))
    with transaction.atomic():
        cover = Cover.objects.select_for_update().get(pk=cover.pk)
        if cover.withdrawn_at is None:
            cover.withdrawn_at = timezone.now()
            cover.save(update_fields=["withdrawn_at"])
            audit_events.cover_withdrawn(
                actor=actor,
                request=request,
                region_id=cover.organisation.region_id,
                cover_id=cover.pk,
            )
    return cover


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

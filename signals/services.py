"""Every write on signals: placing, ending (archive or destroy), transferring, and a professional leaving."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from audit.services import log_event
from notifications.links import region_absolute_url
from persons.models import Youth

from . import hooks
from .bulk import rows_delete
from .exceptions import (
    BirthDateMismatch,
    ConvenantNotStarted,
    InformingIncomplete,
    NotAProfessional,
    OrganisationInactive,
    SignalAlreadyActive,
    SignalNotActive,
    TransferRefused,
    YouthDeceased,
    YouthTooOld,
)
from .logbook import log_events
from .models import ARCHIVING_REASONS, EndReason, InformingStatus, Signal, SignalStatus
from .notify import notify
from .rules import MAX_AGE, Party, age_on, archive_until, parties_to_inform, planned_end
from .selectors import archive_for_new_signal, is_professional_of

logger = logging.getLogger(__name__)

UNIQUE_ACTIVE_CONSTRAINT = "one_active_signal_per_professional_and_youth"


def signal_url(signal: Signal) -> str:
    """An absolute link to the signal's page on its region's host (for e-mails)."""
    return region_absolute_url(region=signal.organisation.region, path=reverse("signals:detail", args=[signal.pk]))


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


def signal_place_check_organisation(*, professional, organisation, as_of: datetime.date | None = None) -> None:
    """The refusals about who places the signal: checked before the BRP is asked anything."""
    today = as_of or timezone.localdate()
    if organisation is None or not is_professional_of(user=professional, organisation=organisation):
        raise NotAProfessional()
    if not organisation.active:
        raise OrganisationInactive()
    if organisation.convenant_date is None or organisation.convenant_date > today:
        raise ConvenantNotStarted()


def signal_place_check(*, professional, organisation, youth: Youth, as_of: datetime.date | None = None) -> None:
    """Every refusal that does not depend on the informing answers, so the flow can stop early with its message."""
    today = as_of or timezone.localdate()
    signal_place_check_organisation(professional=professional, organisation=organisation, as_of=today)
    if youth.date_of_death is not None:
        raise YouthDeceased()
    if age_on(youth.birth_date, today) >= MAX_AGE:
        raise YouthTooOld()
    if Signal.objects.filter(professional=professional, youth=youth, status=SignalStatus.ACTIVE).exists():
        raise SignalAlreadyActive()


def birth_date_matches(*, brp_date: str, given: datetime.date) -> bool:
    """Whether a date of birth equals the BRP's; an unknown BRP month or day ("00") matches anything.

    The one comparison for both ways of placing (the browser's first step and the API).
    """
    if len(brp_date) != 8 or not brp_date.isdigit():
        return False
    year, month, day = int(brp_date[:4]), int(brp_date[4:6]), int(brp_date[6:])
    return given.year == year and month in (0, given.month) and (day == 0 or (month, day) == (given.month, given.day))


def signal_place_lookup(*, professional, organisation, bsn: str, birth_date: datetime.date, request=None) -> Youth:
    """The first part of placing, for the browser and the API alike: the youth by BSN and date of birth, checked.

    Refuses (SignalRefused, or persons' PersonLookupError) before anything is written: the organisation may not
    place, the date of birth does not match the BRP, or the youth cannot get a signal from this professional.
    The BRP look-up is persons.services.youth_by_bsn, with its own guards and logbook entry.
    """
    from persons.services import youth_by_bsn

    signal_place_check_organisation(professional=professional, organisation=organisation)
    youth = youth_by_bsn(bsn=bsn, actor=professional, request=request)
    if not birth_date_matches(brp_date=youth.birth_date_brp, given=birth_date):
        raise BirthDateMismatch()
    signal_place_check(professional=professional, organisation=organisation, youth=youth)
    return youth


def signal_place(
    *, professional, organisation, youth: Youth, informing: dict, request=None, as_of: datetime.date | None = None
) -> Signal:
    """Place a signal; the placed hooks run inside the transaction (matching enqueues its detection there)."""
    today = as_of or timezone.localdate()
    now = timezone.now() if as_of is None else _noon(today)
    fields = informing_clean(informing, age=age_on(youth.birth_date, today), placed_on=today)
    with transaction.atomic():
        signal_place_check(professional=professional, organisation=organisation, youth=youth, as_of=today)
        try:
            # no savepoint of its own: after a refused insert nothing more is sent, the whole placement rolls back
            signal = Signal.objects.create(
                youth=youth,
                professional=professional,
                organisation=organisation,
                contact_name=professional.full_name or professional.email,
                contact_email=professional.email,
                contact_phone=professional.phone or organisation.phone,
                placed_at=now,
                ends_on=planned_end(placed_on=today, birth_date=youth.birth_date),
                **fields,
            )
        except IntegrityError as error:
            # two placements at the same moment: the database keeps one, the other gets the same message
            if UNIQUE_ACTIVE_CONSTRAINT in str(error):
                raise SignalAlreadyActive() from None
            raise
        hooks.signal_placed(signal)
        # last: the logbook lock serialises every logbook write in the country and is held until the commit
        log_event(
            action="signal_placed",
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
        locked = Signal.objects.select_for_update().filter(pk=signal.pk).first()
        if locked is None:
            raise SignalNotActive(_("Dit signaal bestaat niet meer."))
        locked = Signal.objects.select_related("youth", "organisation").get(pk=locked.pk)
        if locked.status != SignalStatus.ACTIVE and reason not in REASONS_FOR_ARCHIVED:
            raise SignalNotActive()
        if reason in ARCHIVING_REASONS:
            hooks.signal_ending(locked, reason)
            locked.status = SignalStatus.ARCHIVED
            locked.ended_at = timezone.now() if as_of is None else _noon(today)
            locked.end_reason = reason
            locked.archive_until = archive_until(ended_on=today, birth_date=locked.youth.birth_date)
            locked.save(update_fields=["status", "ended_at", "end_reason", "archive_until"])
            log_event(
                action="signal_expired" if reason == EndReason.EXPIRED else "signal_ended",
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
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        if locked.archive_shown_at is not None:
            return []
        entries = list(archive_for_new_signal(signal=locked))
        locked.archive_shown_at = timezone.now()
        locked.save(update_fields=["archive_shown_at"])
        if entries:
            log_event(
                action="signal_archive_shown",
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
        raise TransferRefused(
            _(
                "Deze collega heeft zelf al een actief signaal op dezelfde jeugdige (signaal %(reference)s). "
                "Kies een andere collega."
            )
            % {"reference": signal.reference}
        )


def _transfer(signal: Signal, to_professional, actor, request) -> Signal:
    old_professional = signal.professional
    signal.professional = to_professional
    signal.contact_name = to_professional.full_name or to_professional.email
    signal.contact_email = to_professional.email
    signal.contact_phone = to_professional.phone or signal.organisation.phone
    signal.save(update_fields=["professional", "contact_name", "contact_email", "contact_phone"])
    log_event(
        action="signal_transferred",
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


def _locked_signals(queryset):
    ids = list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))
    return list(
        Signal.objects.filter(pk__in=ids).select_related("youth", "organisation__region", "professional").order_by("pk")
    )


def signal_transfer(*, signal: Signal, to_professional, actor, request=None) -> Signal:
    """Move one signal to a colleague of the same organisation; both professionals are told by e-mail."""
    with transaction.atomic():
        locked = _locked_signals(Signal.objects.filter(pk=signal.pk))
        if not locked:
            raise SignalNotActive(_("Dit signaal bestaat niet meer."))
        signal = locked[0]
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
        locked = _locked_signals(signals)
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
        log_event(
            action="membership_deactivated",
            actor=actor,
            request=request,
            region_id=membership.organisation.region_id,
            membership_id=membership.pk,
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
        )
    return membership


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

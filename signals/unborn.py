"""Signals on an unborn child: placing, the move to the child at birth, and the end when no birth appears.

The child is "het ongeboren kind van" a pregnant woman, looked up by her BSN; its row in persons carries her
names, address and BSN (persons/unborn.py). Decisions and their reasons: docs/adr/0030-unborn-children.md.
"""

import datetime
import logging

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import events as audit_events
from persons.models import Youth

from . import hooks
from .exceptions import SignalNotActive
from .models import EndReason, Signal, SignalStatus
from .notify import notify, notify_many
from .rules import expected_birth_date_check, unborn_allowed_check
from .selectors import may_act_on_signal
from .services import (
    signal_place_check,
    signal_place_check_organisation,
    signal_url,
    signals_destroy,
    youths_destroy_orphaned,
)

logger = logging.getLogger(__name__)

# a child of the mother born in this window around a signal's expected date is the child of that signal:
# from 24 weeks of pregnancy (16 weeks before a due date at 40 weeks) to 6 weeks after it
BORN_EARLIEST_BEFORE = datetime.timedelta(weeks=16)
BORN_LATEST_AFTER = datetime.timedelta(weeks=6)


# whom the parties "de ouders/gezaghebbenden" are for an unborn child (the informing page says so)
UNBORN_PARTIES_LABEL = gettext_lazy("de moeder (en de andere ouder als die bekend is)")


def unborn_place_lookup(
    *,
    professional,
    organisation,
    bsn: str,
    mother_birth_date: datetime.date,
    expected_birth_date: datetime.date,
    request=None,
    api_organisation=None,
) -> Youth:
    """The first part of placing on an unborn child, for the browser and the API: the row of the unborn child.

    The mother is looked up as a youth is (persons.services.youth_by_bsn: elfproef, BSN and date of birth together,
    alive; the same look-up limits and logbook entry, docs/adr/0003-look-up-limits.md); the refusals that need no
    BRP come first. Call it outside a transaction, as signal_place_lookup.
    """
    from persons.services import youth_by_bsn
    from persons.unborn import unborn_of_mother

    today = timezone.localdate()
    signal_place_check_organisation(professional=professional, organisation=organisation)
    unborn_allowed_check(organisation=organisation)
    expected_birth_date_check(expected_birth_date, today=today)
    mother = youth_by_bsn(
        bsn=bsn, birth_date=mother_birth_date, actor=professional, request=request, organisation=api_organisation
    )
    unborn = unborn_of_mother(mother=mother, expected_birth_date=expected_birth_date)
    signal_place_check(
        professional=professional, organisation=organisation, youth=unborn, expected_birth_date=expected_birth_date
    )
    return unborn


# --- the move to the child at birth ----------------------------------------------------------------------------


def born_child_for(signal: Signal, children) -> tuple[str, datetime.date] | None:
    """The mother's child born in the window around this signal's expected date: the earliest (twins: the first)."""
    expected = signal.expected_birth_date or signal.youth.birth_date
    candidates = sorted(
        (born, bsn) for bsn, born in children if expected - BORN_EARLIEST_BEFORE <= born <= expected + BORN_LATEST_AFTER
    )
    if not candidates:
        return None
    born, bsn = candidates[0]
    return bsn, born


def unborn_births(births) -> None:
    """persons' refresh read the mother's children: move each active signal whose child was born to that child.

    Runs inside the refresh's transaction for this unborn row. The child is looked up as a youth like any other
    (a system look-up: no actor); the signal keeps its id, reference, period and informing; matching recomputes
    its keys after the commit; the professional gets an e-mail; the logbook records the move under both rows.
    """
    from persons.services import youth_by_bsn

    signals = list(
        Signal.objects.select_for_update(of=("self",))
        .filter(youth_id=births.unborn_youth_id, status=SignalStatus.ACTIVE)
        .select_related("youth", "organisation__region", "professional")
        .order_by("pk")
    )
    today = births.as_of or timezone.localdate()
    moved = False
    for signal in signals:
        found = born_child_for(signal, births.children)
        if found is None:
            continue
        bsn, born = found
        child = youth_by_bsn(bsn=bsn)
        if Signal.objects.filter(
            professional_id=signal.professional_id, youth=child, status=SignalStatus.ACTIVE
        ).exists():
            # the professional already signalled the child itself: the unborn signal has done its work

            signals_destroy(signals=[signal], reason=EndReason.UNBORN_NO_BIRTH)
            continue
        unborn_pseudonym = signal.youth.pseudonym
        signal.youth = child
        signal.born_moved_on = today
        signal.unborn_overdue_notified_on = None
        # detection runs again for it (after the commit; the sweep does it if the broker is down)
        signal.matched_at = None
        signal.save(update_fields=["youth", "born_moved_on", "unborn_overdue_notified_on", "matched_at"])
        hooks.signal_youth_changed(signal)
        moved = True
        _born_notify(signal, born=born)
        audit_events.signal_unborn_born(
            region_id=signal.organisation.region_id,
            youth_pseudonym=child.pseudonym,
            signal_id=signal.pk,
            unborn_youth_pseudonym=unborn_pseudonym,
        )
        # the unborn child's row itself, in its own history (the inzage of the mother shows the move)
        audit_events.signal_unborn_born(
            region_id=signal.organisation.region_id,
            youth_pseudonym=unborn_pseudonym,
            signal_id=signal.pk,
        )
    if moved:
        # the unborn child's row goes with its last signal (kept while archived or other signals refer to it)
        youths_destroy_orphaned(youth_ids=[births.unborn_youth_id])


def _born_notify(signal: Signal, *, born: datetime.date) -> None:

    notify(
        recipient=signal.professional,
        kind="signal_unborn_born",
        subject=_("Uw signaal %(reference)s staat nu op het geboren kind") % {"reference": signal.reference},
        template="signals/email/unborn_born",
        context={
            "name": signal.professional.full_name,
            "reference": signal.reference,
            "born_on": formats.date_format(born),
            "ends_on": formats.date_format(signal.ends_on),
            "link": signal_url(signal),
        },
        dedupe_key=f"signal-unborn-born:{signal.pk}",
    )


# --- no birth: ask to update or end, then end -------------------------------------------------------------------


def _overdue_since(signal: Signal) -> datetime.date:
    return signal.expected_birth_date + datetime.timedelta(weeks=signal.organisation.region.unborn_overdue_weeks)


def signals_unborn_overdue(*, as_of: datetime.date, batch_size: int = 1000) -> int:
    """Ask the professional to update the expected date or end the signal, once, `unborn_overdue_weeks` (a setting of
    the signal's region) after the expected date when no birth moved it. The task list shows it too."""
    due = (
        Signal.objects.filter(
            status=SignalStatus.ACTIVE,
            youth__unborn_mother_pseudonym__gt="",
            expected_birth_date__isnull=False,
            unborn_overdue_notified_on__isnull=True,
        )
        .select_related("organisation__region", "professional")
        .order_by("pk")
    )
    count = 0
    with transaction.atomic():
        signals = [signal for signal in due.select_for_update(of=("self",)) if _overdue_since(signal) <= as_of]

        notify_many(
            [
                {
                    "recipient": signal.professional,
                    "kind": "signal_unborn_overdue",
                    "subject": _("Uw signaal %(reference)s: er is nog geen geboorte gevonden")
                    % {"reference": signal.reference},
                    "template": "signals/email/unborn_overdue",
                    "context": {
                        "name": signal.professional.full_name,
                        "reference": signal.reference,
                        "expected": formats.date_format(signal.expected_birth_date),
                        "ends_on": formats.date_format(unborn_end_on(signal)),
                        "link": signal_url(signal),
                    },
                    "dedupe_key": f"signal-unborn-overdue:{signal.pk}:{signal.expected_birth_date.isoformat()}",
                }
                for signal in signals
            ]
        )
        Signal.objects.filter(pk__in=[signal.pk for signal in signals]).update(unborn_overdue_notified_on=as_of)
        count = len(signals)
    return count


def unborn_end_on(signal: Signal) -> datetime.date:
    """The day an unborn signal without a birth ends by itself: `unborn_end_weeks` after the professional was asked
    (a late run of the life cycle never shortens the time they are given)."""
    asked = max(filter(None, (_overdue_since(signal), signal.unborn_overdue_notified_on)))
    return asked + datetime.timedelta(weeks=signal.organisation.region.unborn_end_weeks)


def signals_unborn_end(*, as_of: datetime.date, batch_size: int = 1000) -> int:
    """End (destroy) the unborn signals whose professional was asked and that saw no birth `unborn_end_weeks` later.

    Destroyed, not archived: there is no child in the BRP whose history it would be (docs/adr/0030)."""

    due = Signal.objects.filter(
        status=SignalStatus.ACTIVE,
        youth__unborn_mother_pseudonym__gt="",
        expected_birth_date__isnull=False,
        unborn_overdue_notified_on__isnull=False,
    ).select_related("organisation__region")
    count = 0
    with transaction.atomic():
        signals = [
            signal for signal in due.select_for_update(of=("self",)).order_by("pk") if unborn_end_on(signal) <= as_of
        ]
        count = signals_destroy(signals=signals, reason=EndReason.UNBORN_NO_BIRTH)
    return count


def signal_expected_date_update(
    *, signal: Signal, actor, expected_birth_date: datetime.date, request=None, as_of: datetime.date | None = None
) -> Signal:
    """The professional gives a new expected date of birth: the overdue question and the automatic end start over."""
    today = as_of or timezone.localdate()
    with transaction.atomic():
        locked = Signal.objects.select_for_update(of=("self",)).filter(pk=signal.pk).first()
        if locked is None:
            raise SignalNotActive(_("Dit signaal bestaat niet meer."))
        locked = Signal.objects.select_related("youth", "organisation__region", "professional").get(pk=locked.pk)
        from .exceptions import NotYourSignal

        if not may_act_on_signal(user=actor, signal=locked, as_of=today):
            raise NotYourSignal()
        if locked.status != SignalStatus.ACTIVE or not locked.youth.is_unborn:
            raise SignalNotActive(
                _("Alleen bij een actief signaal op een ongeboren kind kan de datum worden gewijzigd.")
            )
        expected_birth_date_check(expected_birth_date, today=today)
        before = locked.expected_birth_date
        locked.expected_birth_date = expected_birth_date
        locked.unborn_overdue_notified_on = None
        locked.save(update_fields=["expected_birth_date", "unborn_overdue_notified_on"])
        audit_events.signal_unborn_date_updated(
            actor=actor,
            request=request,
            region_id=locked.organisation.region_id,
            youth_pseudonym=locked.youth.pseudonym,
            signal_id=locked.pk,
            expected_before=before.isoformat() if before else "",
            expected=expected_birth_date.isoformat(),
        )
    return locked


def unborn_youth_ids_of_mother(pseudonym: str) -> list[int]:
    return list(Youth.objects.filter(unborn_mother_pseudonym=pseudonym).values_list("pk", flat=True))

"""The follow-up monitor of a region: matches of the region where a participant still has no recorded contact.

A match is in one region only (`Match.region`: where the youth of its earliest active signal lives), listed by
the reference the professionals see, with no youth identity. Contact is kept per participation, so contact
recorded for a sibling's professional counts for that professional in the one shared match.
"""

import datetime

from django.db import transaction
from django.db.models import Case, DateTimeField, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from audit import events as audit_events
from signals.models import Signal, SignalStatus

from . import hooks
from .models import FollowUpCheck, Match, MatchParticipation
from .selectors import match_id_of_reference

ACTIVE = SignalStatus.ACTIVE


def _waiting(cutoff):
    """Active participations without contact that joined on or before `cutoff` (the coordinator's own aside)."""
    return Q(
        participations__signal__status=ACTIVE,
        participations__contact_made_on__isnull=True,
        participations__joined_at__lte=cutoff,
    ) & ~Q(participations__signal_id=F("coordinator_signal_id"))


def matches_overdue(*, region, as_of: datetime.datetime | None = None):
    """Matches of the region with an active participant whose contact is not recorded after `followup_days`.

    A match linked to other deployments (federation) is listed only by the deployment of its national coordinator,
    and there also for contact missing with the other deployments' professionals (matching's monitor hooks)."""
    cutoff = (as_of or timezone.now()) - datetime.timedelta(days=region.followup_days)
    waiting = MatchParticipation.objects.filter(
        match=OuterRef("pk"), signal__status=ACTIVE, contact_made_on__isnull=True, joined_at__lte=cutoff
    ).exclude(signal_id=OuterRef("coordinator_signal_id"))
    elsewhere, waiting_elsewhere = hooks.monitor_overdue_linked(region=region, cutoff=cutoff)
    local_since = Min("participations__joined_at", filter=_waiting(cutoff))
    if waiting_elsewhere:
        # PostgreSQL's LEAST skips NULLs: the earlier of the two, or the one there is
        since_elsewhere = Case(
            *[When(pk=pk, then=Value(at)) for pk, at in sorted(waiting_elsewhere.items())],
            output_field=DateTimeField(),
        )
        waiting_since = Least(local_since, since_elsewhere)
        overdue = Q(Exists(waiting)) | Q(pk__in=sorted(waiting_elsewhere))
    else:
        waiting_since, overdue = local_since, Q(Exists(waiting))
    return (
        Match.objects.filter(region=region, coordinator_signal__isnull=False)
        .filter(overdue)
        .exclude(pk__in=sorted(elsewhere))
        .annotate(waiting_since=waiting_since)
        .select_related("coordinator_signal__organisation")
        .order_by("waiting_since", "id")
    )


def matches_overdue_elsewhere(*, region, as_of: datetime.datetime | None = None) -> list:
    """National matches (federation) coordinated in this region by a signal that is in no local match, with contact
    missing after `followup_days` with a professional of another deployment: listed beside the local ones."""
    cutoff = (as_of or timezone.now()) - datetime.timedelta(days=region.followup_days)
    return sorted(hooks.monitor_unmatched(region=region, cutoff=cutoff), key=lambda row: row.waiting_since)


def match_of_region(*, region, reference: str) -> Match | None:
    """A match of the region that the monitor may note; any other reference is not found."""
    match_id = match_id_of_reference(reference)
    if match_id is None:
        return None
    return Match.objects.filter(pk=match_id, region=region).first()


def waiting_participants(matches) -> dict[int, list[Signal]]:
    """Per match: the active signals without recorded contact, the coordinator's own aside (contact details only)."""
    result: dict[int, list[Signal]] = {match.pk: [] for match in matches}
    for signal in (
        Signal.objects.filter(
            match_participation__match_id__any=list(result),
            status=ACTIVE,
            match_participation__contact_made_on__isnull=True,
        )
        .select_related("organisation", "match_participation")
        .order_by("placed_at", "id")
    ):
        result[signal.match_participation.match_id].append(signal)
    coordinators = {match.pk: match.coordinator_signal_id for match in matches}
    elsewhere = hooks.monitor_waiting_elsewhere(list(result))
    return {
        pk: [s for s in signals if s.pk != coordinators[pk]] + elsewhere.get(pk, []) for pk, signals in result.items()
    }


def checks_of(*, region, matches) -> dict[int, list[FollowUpCheck]]:
    checks: dict[int, list[FollowUpCheck]] = {}
    for check in FollowUpCheck.objects.filter(region=region, match_id__any=[m.pk for m in matches]):
        checks.setdefault(check.match_id, []).append(check)
    return checks


@transaction.atomic
def follow_up_check_record(*, region, match: Match, monitor, note: str = "", request=None) -> FollowUpCheck:
    """The monitor notes that they chased this overdue match (the coordinator still records the contact)."""
    check = FollowUpCheck.objects.create(
        region=region,
        match=match,
        monitor=monitor,
        monitor_name=monitor.full_name or monitor.email,
        note=note.strip(),
    )
    audit_events.follow_up_checked(
        actor=monitor,
        request=request,
        region_id=region.pk,
        signal_id=match.coordinator_signal_id,
        match=match.reference,
    )
    return check

"""Reads of matching. Professionals only ever see the matches of their own signals."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from signals.models import Signal, SignalStatus

from .models import MatchCoordinator, MatchFollowUp, MatchKind, MatchLink

_RELATED = ("youth", "organisation", "professional")


def match_counts_for_signals(signal_ids) -> dict[int, int]:
    """Per signal: the number of other signals it matches (a pair with two kinds counts once)."""
    ids = set(signal_ids)
    partners: dict[int, set[int]] = defaultdict(set)
    links = MatchLink.objects.filter(Q(signal_a__in=ids) | Q(signal_b__in=ids))
    for a, b in links.values_list("signal_a_id", "signal_b_id"):
        if a in ids:
            partners[a].add(b)
        if b in ids:
            partners[b].add(a)
    return {pk: len(partners.get(pk, ())) for pk in ids}


def own_signal(*, user, region, signal_id: int) -> Signal | None:
    """The user's own signal placed through an organisation of this region, or None (the view answers 404)."""
    return (
        Signal.objects.select_related(*_RELATED, "organisation__region")
        .filter(pk=signal_id, professional=user, organisation__region=region)
        .first()
    )


def coordinator_of_youth(youth_id: int) -> MatchCoordinator | None:
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "signal__professional", "proposed_signal")
        .filter(youth_id=youth_id)
        .first()
    )


@dataclass
class MatchedSignal:
    """One signal matched with the viewer's signal, as the viewer may see it (never the other youth)."""

    signal: Signal
    kinds: list[str]
    since: datetime
    coordinator: Signal | None = None
    is_new: bool = False

    @property
    def is_active(self) -> bool:
        return self.signal.status == SignalStatus.ACTIVE


def matches_of_signal(*, user, signal: Signal) -> list[MatchedSignal]:
    """The signals matched with this signal of the user, each with kinds, since when and its youth's coordinator."""
    if signal.professional_id != user.pk:
        return []
    links = MatchLink.objects.filter(Q(signal_a=signal.pk) | Q(signal_b=signal.pk)).order_by("created_at", "id")
    grouped: dict[int, dict] = {}
    for link in links:
        entry = grouped.setdefault(link.other(signal.pk), {"kinds": [], "since": link.created_at})
        entry["kinds"].append(str(MatchKind(link.kind).label))
        entry["since"] = min(entry["since"], link.created_at)
    others = Signal.objects.filter(pk__in=grouped).select_related(*_RELATED)
    coordinators = {
        row.youth_id: row.signal
        for row in MatchCoordinator.objects.filter(youth_id__in={s.youth_id for s in others}).select_related(
            "signal__organisation"
        )
    }
    rows = [
        MatchedSignal(
            signal=other,
            kinds=grouped[other.pk]["kinds"],
            since=grouped[other.pk]["since"],
            coordinator=coordinators.get(other.youth_id),
        )
        for other in others
    ]
    rows.sort(key=lambda row: (row.since, row.signal.pk))
    return rows


@dataclass
class SignalMatches:
    signal: Signal
    matches: list[MatchedSignal] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for match in self.matches if match.is_new)


def my_matches(*, user, region, seen_before: datetime | None) -> list[SignalMatches]:
    """The user's own signals in this region that have matches; matches since `seen_before` are marked new."""
    signals = list(
        Signal.objects.filter(professional=user, organisation__region=region)
        .select_related(*_RELATED)
        .order_by("-placed_at", "-id")
    )
    counts = match_counts_for_signals([s.pk for s in signals])
    result = []
    for signal in signals:
        if not counts.get(signal.pk):
            continue
        matches = matches_of_signal(user=user, signal=signal)
        for match in matches:
            match.is_new = seen_before is None or match.since > seen_before
        result.append(SignalMatches(signal=signal, matches=matches))
    return result


def coordinator_participants(*, coordinator: MatchCoordinator) -> list[Signal]:
    """Active signals in the youth's matches (on the youth itself and linked to its signals)."""
    from .services import _participants

    return _participants(coordinator.youth_id)


def coordinator_for_coordinator(*, user, region, coordinator_id: int) -> MatchCoordinator | None:
    """The coordinator row if this user holds the role through a signal of an organisation of this region."""
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "signal__youth", "proposed_signal", "youth")
        .filter(
            pk=coordinator_id,
            signal__professional=user,
            signal__status=SignalStatus.ACTIVE,
            signal__organisation__region=region,
        )
        .first()
    )


def coordinator_for_proposed(*, user, region, coordinator_id: int) -> MatchCoordinator | None:
    """The coordinator row if the role was proposed to this user's signal in this region."""
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "proposed_signal")
        .filter(pk=coordinator_id, proposed_signal__professional=user, proposed_signal__organisation__region=region)
        .first()
    )


def follow_up_of_youth(youth_id: int) -> MatchFollowUp | None:
    return MatchFollowUp.objects.filter(youth_id=youth_id).select_related("recorded_by").first()

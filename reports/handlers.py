"""Feeds the counters from the hooks of signals (placed, ended) and matching (new links, recorded follow-up)."""

import datetime

from django.utils import timezone

from matching import hooks as matching_hooks
from matching.models import MatchParticipation
from signals import hooks as signal_hooks
from signals.models import Signal

from .models import Metric
from .services import counter_increment, counters_increment

# which end reasons count as what; an archived signal that is destroyed later was counted when it ended
_ENDED_EARLY = {"concern_gone", "placed_wrongly"}
_EXPIRED = {"expired"}
_NOT_AN_END = {"archive_ended"}
ONE_DAY = datetime.timedelta(days=1)
_LINK_METRIC = {"same_youth": Metric.MATCH_SAME_YOUTH, "family": Metric.MATCH_SIBLING, "address": Metric.MATCH_ADDRESS}


def on_signal_placed(signal) -> None:
    counter_increment(
        region_id=signal.organisation.region_id,
        at=signal.placed_at,
        metric=Metric.SIGNAL_PLACED,
        municipality_code=signal.youth.municipality_code,
        sector=signal.organisation.sector,
    )


def on_signal_extended(signal) -> None:
    """An extension counts as an extension in the month it was made, never as a new signal."""
    counter_increment(
        region_id=signal.organisation.region_id,
        at=signal.extended_at,
        metric=Metric.SIGNAL_EXTENDED,
        municipality_code=signal.youth.municipality_code,
        sector=signal.organisation.sector,
    )


def on_signals_ending(signals, reason) -> None:
    """One upsert for the counters of a whole batch (the life cycle ends thousands of signals a night)."""
    reason = str(reason)
    active_ids = [signal.pk for signal in signals if signal.status == "active"]
    if reason in _NOT_AN_END or not active_ids:
        return
    if reason in _EXPIRED:
        metric = Metric.SIGNAL_EXPIRED
    elif reason in _ENDED_EARLY:
        metric = Metric.SIGNAL_ENDED_EARLY
    else:
        metric = Metric.SIGNAL_ENDED_OTHERWISE
    today = timezone.localdate()
    counters_increment(
        [
            {
                "region_id": row["organisation__region_id"],
                # an expiry counts in the month of its archiving day (the day after the last active day), whenever
                # the nightly run handled it
                "at": row["ends_on"] + ONE_DAY if metric == Metric.SIGNAL_EXPIRED else today,
                "metric": metric,
                "municipality_code": row["youth__municipality_code"],
                "sector": row["organisation__sector"],
            }
            for row in Signal.objects.filter(pk__any=active_ids).values(
                "organisation__region_id", "organisation__sector", "youth__municipality_code", "ends_on"
            )
        ]
    )


def on_links_created(links, signals, *, match, match_is_new: bool) -> None:
    """Each link counts once in every region whose organisation takes part in it; a new match also counts as a
    match that asks for follow-up (by its coordinator's organisation). One upsert of all counters."""
    increments = []
    for link in links:
        ends = sorted((signals[link.signal_a_id], signals[link.signal_b_id]), key=lambda s: s.pk, reverse=True)
        per_region = {}
        for signal in ends:  # the newer signal decides sector and municipality when both are of one region
            per_region.setdefault(signal.organisation.region_id, signal)
        for region_id, signal in per_region.items():
            increments.append(
                {
                    "region_id": region_id,
                    "at": link.created_at,
                    "metric": _LINK_METRIC.get(link.kind, Metric.MATCH_SAME_YOUTH),
                    "municipality_code": signal.youth.municipality_code,
                    "sector": signal.organisation.sector,
                }
            )
    coordinator = match.coordinator_signal if match.coordinator_signal_id else None
    if match_is_new and coordinator is not None:
        increments.append(
            {
                "region_id": coordinator.organisation.region_id,
                "at": match.created_at,
                "metric": Metric.FOLLOWUP_DUE,
                "municipality_code": coordinator.youth.municipality_code,
                "sector": coordinator.organisation.sector,
            }
        )
    counters_increment(increments)


def on_follow_up_recorded(match, participations, first_time) -> None:
    """The match's first recorded contact counts in the month the match arose, with the days it took."""
    if not first_time or match.coordinator_signal_id is None:
        return
    earlier = MatchParticipation.objects.filter(match=match, contact_made_on__isnull=False).exclude(
        pk__in=[p.pk for p in first_time]
    )
    if earlier.exists():
        return
    coordinator = match.coordinator_signal
    contact_made_on = min(p.contact_made_on for p in first_time)
    counter_increment(
        region_id=coordinator.organisation.region_id,
        at=match.created_at,
        metric=Metric.FOLLOWUP_RECORDED,
        municipality_code=coordinator.youth.municipality_code,
        sector=coordinator.organisation.sector,
        days=(contact_made_on - timezone.localdate(match.created_at)).days,
    )


def register() -> None:
    signal_hooks.register_signal_placed(on_signal_placed)
    signal_hooks.register_signal_extended(on_signal_extended)
    signal_hooks.register_signals_ending(on_signals_ending)
    matching_hooks.register_links_created(on_links_created)
    matching_hooks.register_follow_up_recorded(on_follow_up_recorded)

"""Feeds the counters from the hooks of signals (placed, ended) and matching (links, follow-up)."""

from django.utils import timezone

from .models import Metric
from .services import counter_increment

# which end reasons count as what; an archived signal that is destroyed later was counted when it ended
_ENDED_EARLY = {"concern_gone", "placed_wrongly"}
_EXPIRED = {"expired"}
_NOT_AN_END = {"archive_ended"}


def on_signal_placed(signal) -> None:
    counter_increment(
        region_id=signal.organisation.region_id,
        at=signal.placed_at,
        metric=Metric.SIGNAL_PLACED,
        municipality_code=signal.youth.municipality_code,
        sector=signal.organisation.sector,
    )


def on_signal_ending(signal, reason) -> None:
    if signal.status != "active" or str(reason) in _NOT_AN_END:
        return
    reason = str(reason)
    if reason in _EXPIRED:
        metric, at = Metric.SIGNAL_EXPIRED, signal.ends_on
    elif reason in _ENDED_EARLY:
        metric, at = Metric.SIGNAL_ENDED_EARLY, timezone.now()
    else:
        metric, at = Metric.SIGNAL_ENDED_OTHERWISE, timezone.now()
    counter_increment(
        region_id=signal.organisation.region_id,
        at=at,
        metric=metric,
        municipality_code=signal.youth.municipality_code,
        sector=signal.organisation.sector,
    )


def register() -> None:
    from signals import hooks as signal_hooks

    signal_hooks.register_signal_placed(on_signal_placed)
    signal_hooks.register_signal_ending(on_signal_ending)

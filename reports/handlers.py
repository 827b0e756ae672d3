"""Feeds the counters from the hooks of signals (placed, ended) and matching (links, follow-up)."""

from collections import Counter

from django.utils import timezone

from .models import Metric
from .services import _month_of, counter_increment

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


def _ending_cell(signal, reason: str):
    if signal.status != "active" or reason in _NOT_AN_END:
        return None
    if reason in _EXPIRED:
        metric, at = Metric.SIGNAL_EXPIRED, signal.ends_on
    elif reason in _ENDED_EARLY:
        metric, at = Metric.SIGNAL_ENDED_EARLY, timezone.now()
    else:
        metric, at = Metric.SIGNAL_ENDED_OTHERWISE, timezone.now()
    return signal.organisation.region_id, at, metric, signal.youth.municipality_code, signal.organisation.sector


def on_signal_ending(signal, reason) -> None:
    on_signals_ending([signal], reason)


def on_signals_ending(signals, reason) -> None:
    """One upsert per counter cell for a whole batch (the signals life cycle ends thousands a night)."""
    cells = Counter()
    for signal in signals:
        cell = _ending_cell(signal, str(reason))
        if cell is not None:
            region_id, at, metric, municipality_code, sector = cell
            cells[(region_id, _month_of(at), metric, municipality_code, sector)] += 1
    for (region_id, at, metric, municipality_code, sector), count in cells.items():
        counter_increment(
            region_id=region_id, at=at, metric=metric, municipality_code=municipality_code, sector=sector, by=count
        )


def register() -> None:
    from signals import hooks as signal_hooks

    signal_hooks.register_signal_placed(on_signal_placed)
    # the batch form: the signals life cycle ends thousands of signals a night
    signal_hooks.register_signals_ending(on_signals_ending)

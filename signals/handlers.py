"""Reactions to what other apps report or ask: a youth's death, and regions' questions about active signals."""

from django.db.models import Count

from core.tasks import task_enqueue

from .models import EndReason, Signal, SignalStatus
from .services import signal_end


def youth_changed(change) -> None:
    """A YouthChange from the BRP refresh; on a death the signals are destroyed after that refresh commits.

    A broker that is down loses nothing: the daily life cycle destroys what a lost task left (Youth.date_of_death).
    """
    if change.died_on is None:
        return
    task_enqueue("signals.youth_died", change.youth_id)


def active_signals_counted(organisation) -> dict[int, int]:
    """regions' question: the active signals of each professional in this organisation."""
    rows = (
        Signal.objects.filter(organisation=organisation, status=SignalStatus.ACTIVE)
        .values("professional_id")
        .annotate(count=Count("id"))
    )
    return {row["professional_id"]: row["count"] for row in rows}


def youth_active_signals(youth) -> list[Signal]:
    """regions' question for a move notice: the youth's active signals, oldest first."""
    return list(
        youth.signals.filter(status=SignalStatus.ACTIVE).select_related("organisation").order_by("placed_at", "id")
    )


def organisation_deactivating(*, organisation, actor, request=None) -> int:
    """An organisation stops taking part: its active signals end as "concern gone" (archived, history kept)."""
    signals = list(
        Signal.objects.filter(organisation=organisation, status=SignalStatus.ACTIVE).order_by("id").only("pk")
    )
    for signal in signals:
        signal_end(signal=signal, reason=EndReason.CONCERN_GONE, actor=actor, request=request)
    return len(signals)

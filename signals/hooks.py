"""The hooks through which other apps react to a signal's placement, end, transfer and extension (core.hooks).

Handlers run inside the caller's transaction: whatever they write commits or rolls back with the signal itself.
Work after the commit is for the handler to enqueue (core.tasks.task_enqueue). Register in `AppConfig.ready()`.
"""

from collections.abc import Callable

from core.hooks import Hook

placed = Hook("signal placed")  # fn(signal): after the signal row exists
ending = Hook("signal ending")  # fn(signal, reason): BEFORE the signal is archived or destroyed
ending_batch = Hook("signals ending")  # fn(signals, reason): once per batch (the life cycle ends thousands a night)
transferred = Hook("signal transferred")  # fn(signal, old_professional): after the signal moved
extended = Hook("signal extended")  # fn(signal): after the signal got its new end (same signal)
youth_changed = Hook("signal's youth changed")  # fn(signal): moved to another youth (an unborn child born)
# a question matching answers: fn(signal_ids) -> {signal id: number of matches}
match_counts_asked = Hook("match counts of signals")


def register_signal_placed(fn: Callable) -> Callable:
    return placed.register(fn)


def register_signal_ending(fn: Callable) -> Callable:
    return ending.register(fn)


def register_signals_ending(fn: Callable, *, writes_logbook: bool = False) -> Callable:
    """Register either this or the per-signal hook, not both: every ending passes through both kinds. A handler
    that writes to the logbook says so (`writes_logbook`) and runs after the others."""
    return ending_batch.register(fn, last=writes_logbook)


def register_signal_transferred(fn: Callable) -> Callable:
    return transferred.register(fn)


def register_signal_extended(fn: Callable) -> Callable:
    return extended.register(fn)


def register_signal_youth_changed(fn: Callable) -> Callable:
    """fn(signal): called inside the transaction that moved the signal to another youth (an unborn child born)."""
    return youth_changed.register(fn)


def signal_placed(signal) -> None:
    placed.send(signal)


def signal_ending(signal, reason) -> None:
    signals_ending([signal], reason)


def signals_ending(signals, reason) -> None:
    """Every ending handler for these signals (all ending for the same reason); the logbook writers last."""
    signals = list(signals)
    if not signals:
        return
    for fn in ending_batch.handlers("first"):
        fn(signals, reason)
    for signal in signals:
        ending.send(signal, reason)
    for fn in ending_batch.handlers("last"):
        fn(signals, reason)


def signal_transferred(signal, old_professional) -> None:
    transferred.send(signal, old_professional)


def signal_extended(signal) -> None:
    extended.send(signal)


def signal_youth_changed(signal) -> None:
    youth_changed.send(signal)

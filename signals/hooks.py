"""An explicit registry through which other apps react to a signal's placement, end, transfer and extension.

Handlers run inside the caller's transaction: whatever they write commits or rolls back with the
signal itself. Work that must happen after the commit (a Celery task) is for the handler to enqueue
with `transaction.on_commit`. Register in `AppConfig.ready()`; registering the same function twice
has no effect, so a reloaded app does not run a handler twice.
"""

from collections.abc import Callable

_placed: list[Callable] = []
_ending: list[Callable] = []
_transferred: list[Callable] = []
_ending_batch: list[Callable] = []
# handlers that write to the logbook run after all others: its lock is held until the commit, so nothing may
# wait for another row after it (the lock order in docs/adr/0001-the-match.md)
_ending_batch_last: list[Callable] = []
_extended: list[Callable] = []
_youth_changed: list[Callable] = []


def _register(handlers: list[Callable], fn: Callable) -> Callable:
    if fn not in handlers:
        handlers.append(fn)
    return fn


def register_signal_placed(fn: Callable) -> Callable:
    """fn(signal): called inside the placing transaction, after the signal row exists."""
    return _register(_placed, fn)


def register_signal_ending(fn: Callable) -> Callable:
    """fn(signal, reason): called inside the ending transaction BEFORE the signal is archived or destroyed."""
    return _register(_ending, fn)


def register_signals_ending(fn: Callable, *, writes_logbook: bool = False) -> Callable:
    """fn(signals, reason): like register_signal_ending, once per batch (the life cycle ends thousands a night).

    Register either this or the per-signal hook, not both: every ending passes through both kinds. A handler
    that writes to the logbook says so (`writes_logbook`) and runs after the others.
    """
    return _register(_ending_batch_last if writes_logbook else _ending_batch, fn)


def register_signal_transferred(fn: Callable) -> Callable:
    """fn(signal, old_professional): called inside the transfer transaction, after the signal moved."""
    return _register(_transferred, fn)


def register_signal_extended(fn: Callable) -> Callable:
    """fn(signal): called inside the extending transaction, after the signal got its new end (same signal)."""
    return _register(_extended, fn)


def register_signal_youth_changed(fn: Callable) -> Callable:
    """fn(signal): called inside the transaction that moved the signal to another youth (an unborn child born)."""
    return _register(_youth_changed, fn)


def signal_placed(signal) -> None:
    for fn in tuple(_placed):
        fn(signal)


def signal_ending(signal, reason) -> None:
    signals_ending([signal], reason)


def signals_ending(signals, reason) -> None:
    """Every ending handler for these signals (all ending for the same reason)."""
    signals = list(signals)
    if not signals:
        return
    for fn in tuple(_ending_batch):
        fn(signals, reason)
    for fn in tuple(_ending):
        for signal in signals:
            fn(signal, reason)
    for fn in tuple(_ending_batch_last):
        fn(signals, reason)


def signal_transferred(signal, old_professional) -> None:
    for fn in tuple(_transferred):
        fn(signal, old_professional)


def signal_extended(signal) -> None:
    for fn in tuple(_extended):
        fn(signal)


def signal_youth_changed(signal) -> None:
    for fn in tuple(_youth_changed):
        fn(signal)

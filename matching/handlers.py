"""Matching's handlers on the signals and persons hooks; registered in MatchingConfig.ready()."""

import threading

from audit.services import log_events
from core.tasks import task_enqueue

from . import services


def on_signal_placed(signal) -> None:
    # a broker that is down must not fail the placement: matched_at stays empty and the sweep detects later
    task_enqueue("matching.detect", signal.pk)


# the logbook events of the ending batch in progress in this thread, written by on_signals_ended_log
_ending = threading.local()


def on_signals_ending(signals, reason) -> None:
    """The matches' part of an end (Match rows, outbox), before the statistics' counters; the logbook comes last."""
    _ending.batch = (id(signals), services.match_signals_ending(signals=signals, reason=reason, log=False))


def on_signals_ending_log(signals, reason) -> None:
    """Last of the ending handlers: the logbook rows of the coordinator changes (its lock is held to the commit)."""
    batch_id, events = getattr(_ending, "batch", (None, []))
    _ending.batch = (None, [])
    if batch_id == id(signals):
        log_events(events)


def on_youth_changed(change) -> None:
    if change.address_changed or change.parents_changed:
        task_enqueue("matching.redetect_youth", change.youth_id)

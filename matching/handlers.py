"""Matching's handlers on the signals and persons hooks; registered in MatchingConfig.ready()."""

import logging
import threading
from functools import partial

from django.db import transaction

from audit.services import log_events

from . import services

logger = logging.getLogger(__name__)


def _dispatch(task, *args) -> None:
    """Queue a task; a broker that is down must not fail the placement: the sweep detects later."""
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - any broker error; matched_at stays empty and the sweep runs it
        logger.warning("task %s not queued (broker unavailable); the sweep will run it", task.name)


def on_signal_placed(signal) -> None:
    from .tasks import match_detect_task

    transaction.on_commit(partial(_dispatch, match_detect_task, signal.pk), robust=True)


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
    from .tasks import matches_redetect_youth_task

    if getattr(change, "address_changed", False) or getattr(change, "parents_changed", False):
        transaction.on_commit(partial(_dispatch, matches_redetect_youth_task, change.youth_id), robust=True)

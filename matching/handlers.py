"""Matching's handlers on the signals and persons hooks; registered in MatchingConfig.ready()."""

import logging
from functools import partial

from django.db import transaction

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


def on_signals_ending(signals, reason) -> None:
    services.match_signals_ending(signals=signals, reason=reason)


def on_youth_changed(change) -> None:
    from .tasks import matches_redetect_youth_task

    if getattr(change, "address_changed", False) or getattr(change, "parents_changed", False):
        transaction.on_commit(partial(_dispatch, matches_redetect_youth_task, change.youth_id), robust=True)

"""Enqueue a Celery task by name, after the caller's commit, without failing the caller when the broker is down.

By name, so that any app can start another app's task without importing it. A lost message is not lost work:
every task this module queues has a periodic sweep or daily run that picks up what was not done (docs/adr/0001).
"""

import logging
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_send(name: str, *args: Any) -> bool:
    """Send the task now; False (and a warning without the arguments) when the broker did not take it."""
    try:
        task = _task(name)
        if task is None:
            current_app.send_task(name, args=args, retry=False)
        else:
            task.apply_async(args, retry=False)  # honours task_always_eager, as tests and some profiles set it
    except Exception:  # noqa: BLE001 - any broker error: the sweep or the daily run does the work later
        logger.warning("task %s not queued (broker unavailable); the sweep will do its work", name)
        return False
    return True


def _task(name: str):
    """The registered task of this name (importing the apps' task modules once), or None for a remote one."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def task_enqueue(name: str, *args: Any) -> None:
    """Send the task once the caller's transaction has committed (at once outside a transaction)."""
    transaction.on_commit(partial(task_send, name, *args), robust=True)

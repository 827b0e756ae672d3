"""Reactions to changes other apps report: a youth's death in the BRP destroys their signals."""

from django.db import transaction


def youth_changed(change) -> None:
    """A YouthChange from the BRP refresh; on a death the signals are destroyed after that refresh commits."""
    if getattr(change, "died_on", None) is None:
        return
    from .tasks import youth_died_task

    youth_id = change.youth_id
    transaction.on_commit(lambda: _enqueue(youth_died_task, youth_id))


def _enqueue(task, youth_id: int) -> None:
    # the broker may be down; the daily life cycle destroys what a lost task left (Youth.date_of_death)
    try:
        task.apply_async((youth_id,), retry=False)
    except Exception:  # noqa: BLE001
        import logging

        logging.getLogger(__name__).warning("destruction after a death not enqueued; the daily run will do it")

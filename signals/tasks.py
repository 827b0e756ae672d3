"""Celery tasks of the signals app: thin wrappers that call the life-cycle services."""

import datetime

from celery import shared_task

from . import lifecycle


@shared_task(name="signals.lifecycle_run")
def lifecycle_run_task(as_of: str | None = None) -> dict[str, int]:
    return lifecycle.lifecycle_run(as_of=datetime.date.fromisoformat(as_of) if as_of else None)


@shared_task(name="signals.youth_died")
def youth_died_task(youth_id: int) -> int:
    return lifecycle.youth_died(youth_id=youth_id)

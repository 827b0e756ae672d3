"""Celery tasks of citizens' requests (thin: they call a service)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .services import rights_overdue_remind


@shared_task(name="rights.remind_overdue")
def remind_overdue_task(as_of: str | None = None) -> tuple[int, int]:
    """Reminds about overdue requests and advice tasks; `as_of` is an ISO date (default today)."""
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return rights_overdue_remind(as_of=day)

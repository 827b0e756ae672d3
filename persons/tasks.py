"""Celery tasks of the persons app (thin: they call a service)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .services import youths_refresh


@shared_task(name="persons.youths_refresh")
def youths_refresh_task(as_of: str | None = None) -> None:
    """The nightly BRP refresh of youths that still have signals (idempotent: a rerun finds no change twice)."""
    youths_refresh(as_of=datetime.date.fromisoformat(as_of) if as_of else timezone.localdate())

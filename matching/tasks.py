"""Celery tasks of matching: thin wrappers that load ids and call the services."""

import datetime

from celery import shared_task
from django.utils import timezone

from core.sweeps import sweep_alone

from . import services


@shared_task(name="matching.detect")
def match_detect_task(signal_id: int) -> None:
    services.match_detect(signal_id=signal_id)


@shared_task(name="matching.redetect_youth")
def matches_redetect_youth_task(youth_id: int) -> None:
    services.matches_redetect_youth(youth_id=youth_id)


@shared_task(name="matching.sweep")
def matches_sweep_task() -> None:
    # one run at a time, within the minute between two runs, without the signals whose own task is still queued
    with sweep_alone("match sweep") as alone:
        if alone:
            services.matches_detect_pending(
                placed_before=timezone.now() - datetime.timedelta(seconds=60), budget_seconds=45
            )

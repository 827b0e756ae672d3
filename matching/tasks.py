"""Celery tasks of matching: thin wrappers that load ids and call the services."""

from celery import shared_task

from . import services


@shared_task(name="matching.detect")
def match_detect_task(signal_id: int) -> None:
    services.match_detect(signal_id=signal_id)


@shared_task(name="matching.redetect_youth")
def matches_redetect_youth_task(youth_id: int) -> None:
    services.matches_redetect_youth(youth_id=youth_id)


@shared_task(name="matching.sweep")
def matches_sweep_task() -> None:
    services.matches_detect_pending()

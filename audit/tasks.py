"""Celery tasks of the logbook: thin wrappers around the sealing and checkpoint services."""

from celery import shared_task
from django.core.cache import cache

from . import services


@shared_task(name="audit.logbook_seal")
def logbook_seal_task() -> int:
    cache.delete(services.SEAL_QUEUED_CACHE_KEY)  # commits from now on queue a task of their own
    return services.logbook_seal()


@shared_task(name="audit.logbook_checkpoint")
def logbook_checkpoint_task() -> int:
    return services.logbook_checkpoint_write().seq


@shared_task(name="audit.logbook_checkpoint_send")
def logbook_checkpoint_send_task() -> int:
    return services.logbook_checkpoint_send().seq

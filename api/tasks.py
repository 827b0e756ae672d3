"""Celery tasks of the API (thin: they call a service)."""

import logging

from celery import shared_task

from .services import idempotency_records_purge

logger = logging.getLogger(__name__)


@shared_task
def purge_idempotency_records():
    deleted = idempotency_records_purge()
    logger.info("Forgot %d expired idempotency keys", deleted)

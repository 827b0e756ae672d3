"""Thin Celery tasks of the federation (acks late, idempotent: the outbox rows carry the state)."""

from celery import shared_task

from . import regional


@shared_task(name="federation.outbox_send")
def federation_outbox_send_task() -> dict:
    return regional.outbox_send()

"""Celery tasks of the outbox: thin wrappers around the services."""

from celery import shared_task

from core.sweeps import sweep_alone

from . import services


@shared_task(name="notifications.send")
def notification_send_task(notification_id: int) -> None:
    services.notification_send(notification_id=notification_id)


@shared_task(name="notifications.send_many")
def notifications_send_task(notification_ids: list[int]) -> None:
    services.notifications_send(notification_ids=notification_ids)


@shared_task(name="notifications.sweep")
def notifications_sweep_task() -> None:
    with sweep_alone("outbox") as alone:  # one run at a time (core/sweeps.py)
        if alone:
            services.notifications_send_pending()


@shared_task(name="notifications.digests")
def notification_digests_task() -> None:
    services.notification_digests_build()

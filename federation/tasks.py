"""Thin Celery tasks of the federation (acks late, idempotent: the outbox rows carry the state).

Imports stay inside the tasks: the hub's worker loads this module too, and the hub has no regional apps (signals,
matching, audit…) whose models `federation.regional` imports."""

from celery import shared_task

from core.tasks import task_enqueue

OUTBOX_SEND = "federation.outbox_send"


def outbox_send_soon() -> None:
    """Send the outbox once the caller's transaction has committed; the every-minute run sends it when the broker
    did not take the task (core/tasks.py)."""
    task_enqueue(OUTBOX_SEND)


@shared_task(name=OUTBOX_SEND)
def federation_outbox_send_task() -> dict:
    from . import regional

    return regional.outbox_send()


@shared_task(name="federation.hub_sweep")
def federation_hub_sweep_task() -> int:
    """The hub's nightly retention (federation.schedule.HUB_BEAT_SCHEDULE): one run at a time (core/sweeps.py)."""
    from core.sweeps import sweep_alone

    from .hub_rights import hub_rights_requests_sweep

    with sweep_alone("federation hub sweep") as alone:
        return hub_rights_requests_sweep() if alone else 0

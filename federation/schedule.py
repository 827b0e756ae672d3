"""Periodic jobs of the federation: a regional deployment sends (and resends) its outbox to the hub; the hub deletes
what it keeps no longer (its own schedule: verwijsindex/celery.py picks it when VERWIJSINDEX_ROLE=hub)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "federation-outbox-send": {"task": "federation.outbox_send", "schedule": 60.0},
}

HUB_BEAT_SCHEDULE = {
    "federation-hub-sweep": {"task": "federation.hub_sweep", "schedule": crontab(hour=3, minute=40)},
}

"""Periodic jobs of the API."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "api-purge-idempotency-records": {
        "task": "api.tasks.purge_idempotency_records",
        "schedule": crontab(minute=17),
    },
}

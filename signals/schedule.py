"""Periodic jobs of the signals app: the daily life cycle, early in the night."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "signals-lifecycle-daily": {"task": "signals.lifecycle_run", "schedule": crontab(hour=2, minute=15)},
}

"""Periodic jobs of the outbox: the sweep for rows left behind, and the daily digest."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "notifications-daily-digest": {"task": "notifications.digests", "schedule": crontab(hour=7, minute=0)},
}

"""Periodic jobs of the persons app."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "persons-youths-refresh": {"task": "persons.youths_refresh", "schedule": crontab(hour=2, minute=15)},
}

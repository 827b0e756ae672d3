"""Periodic jobs of citizens' requests (picked up by verwijsindex/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "rights-remind-overdue": {"task": "rights.remind_overdue", "schedule": crontab(hour=7, minute=15)},
}

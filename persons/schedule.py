"""Periodic jobs of the persons app."""

from celery.schedules import crontab

# before the signals life cycle (02:15), so a death found tonight is acted on tonight
BEAT_SCHEDULE = {
    "persons-youths-refresh": {"task": "persons.youths_refresh", "schedule": crontab(hour=1, minute=30)},
}

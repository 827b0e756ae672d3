"""The Celery app. Workers ack late with a prefetch of 1, so tasks must be idempotent."""

import os
from importlib import import_module

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.dev")

app = Celery("verwijsindex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs):
    """Worker and beat log through Django's LOGGING (with its BSN redaction filter), not Celery's own set-up."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


# Each app keeps its periodic tasks in `<app>/schedule.py` (a BEAT_SCHEDULE dict of task names, no imports
# of models), so apps add jobs without touching shared settings.
SCHEDULED_APPS = (
    "accounts", "regions", "persons", "signals", "matching", "notifications", "rights", "audit", "api", "federation"
)
for _app_name in SCHEDULED_APPS:
    try:
        _schedule = import_module(f"{_app_name}.schedule")
    except ModuleNotFoundError:
        continue
    app.conf.beat_schedule.update(_schedule.BEAT_SCHEDULE)

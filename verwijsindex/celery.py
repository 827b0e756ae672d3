"""The Celery app. Workers ack late with a prefetch of 1, so tasks must be idempotent."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.dev")

app = Celery("verwijsindex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

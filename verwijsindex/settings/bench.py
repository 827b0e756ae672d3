"""Benchmark profile (`make bench`): production-like serving (DEBUG off, no autoreload) on this machine.

Uses the dev secrets (generated into .data/dev-secrets.env) and the database and Redis given in the
environment (benchmarks/run_all.py points DATABASE_URL at a separate benchmark database). The BRP is
the embedded register in-process: the benchmark measures this application, not a BRP's latency.
"""

import os

from .local_secrets import load_dev_secrets

_BASE_DIR_GUESS = __import__("pathlib").Path(__file__).resolve().parent.parent.parent
load_dev_secrets(_BASE_DIR_GUESS / ".data" / "dev-secrets.env")
os.environ.setdefault("SITE_SCHEME", "http")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = False
# persistent database connections (one per gunicorn thread): no connect and authentication per request
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # noqa: F405
ALLOWED_HOSTS = [".localhost", "localhost", "127.0.0.1"]
BRP_CLIENT = "embedded"
# the benchmark's professionals look up far more youths an hour than people do; the guard's query still runs
BSN_LOOKUP_LIMIT_PER_HOUR = env.int("BSN_LOOKUP_LIMIT_PER_HOUR", default=1_000_000)
BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION = env.int("BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION", default=1_000_000)
# BENCH_EMAIL_URL: the SMTP sink run_all.py starts; the worker delivers match e-mail there.
vars().update(env.email_url_config(env.str("BENCH_EMAIL_URL", default="smtp://127.0.0.1:8025")))
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - one log line per request would measure the console

"""Test profile: pytest against real PostgreSQL and Redis; mail is kept in memory."""

import os
import tempfile
from pathlib import Path

from .local_secrets import load_dev_secrets

_BASE_DIR_GUESS = __import__("pathlib").Path(__file__).resolve().parent.parent.parent
load_dev_secrets(_BASE_DIR_GUESS / ".data" / "dev-secrets.env")
os.environ.setdefault("SITE_SCHEME", "http")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = [".localhost", "localhost", "testserver", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
BRP_SERVE_EMBEDDED_ENDPOINT = True
# tests point the HTTP client at a live server of this project (see tests/conftest.py)
BRP_BASE_URL = env.str("BRP_BASE_URL", default="")
CELERY_TASK_ALWAYS_EAGER = False
ALLOW_DEMO_DATA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The logbook's trigger refuses TRUNCATE unless the connection allows it; the test runner empties
# every table after a transactional test, so test connections do (audit/migrations/0002).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c verwijsindex.logbook_truncate_allowed=on"  # noqa: F405
# checkpoints of one test run only: a folder shared with `make run` would hold counts this database never had
LOGBOOK_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="vi-logbook-checkpoints-"))
# OpenID Connect providers on http://127.0.0.1 (the test provider); production refuses this
OIDC_ALLOW_INSECURE_TRANSPORT = True

"""Browser-test profile: the test profile served by a real gunicorn + Celery worker, mail to an SMTP sink.

tests/e2e starts those processes with this profile against the pytest test database; EMAIL_URL
points at the aiosmtpd sink (scripts/mailsink.py) whose DEV_MAILBOX_DIR the dev mailbox page reads.
"""

from pathlib import Path

from .test import *  # noqa: F403
from .test import env

# E2E_EMAIL_URL: the SMTP sink the browser tests started (smtp://127.0.0.1:PORT).
vars().update(env.email_url_config(env.str("E2E_EMAIL_URL", default="smtp://127.0.0.1:8025")))
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# E2E_MAILBOX_DIR: where the sink keeps the messages; the dev mailbox page lists them.
DEV_MAILBOX_DIR = Path(env.str("E2E_MAILBOX_DIR")) if env.str("E2E_MAILBOX_DIR", default="") else None
DEBUG = False

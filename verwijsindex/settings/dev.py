"""Development profile: `make run`. Secrets come from .data/dev-secrets.env, generated once."""

import os

from .local_secrets import load_dev_secrets

_BASE_DIR_GUESS = __import__("pathlib").Path(__file__).resolve().parent.parent.parent
load_dev_secrets(_BASE_DIR_GUESS / ".data" / "dev-secrets.env")
# PORT / MAIL_PORT: where `make run` serves the web server and the SMTP sink (default 8000 / 8025).
_PORT = os.environ.get("PORT", "8000")
os.environ.setdefault("BRP_BASE_URL", f"http://127.0.0.1:{_PORT}/brp-embedded")
os.environ.setdefault("EMAIL_URL", f"smtp://127.0.0.1:{os.environ.get('MAIL_PORT', '8025')}")
os.environ.setdefault("SITE_SCHEME", "http")
os.environ.setdefault("SITE_PORT", _PORT)

from .base import *  # noqa: E402,F403
from .base import DATA_DIR, env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "localhost", "127.0.0.1"])
BRP_SERVE_EMBEDDED_ENDPOINT = True
DEV_TWO_FACTOR_SHORTCUT = True
# the SMTP sink writes every message here; the dev mailbox page reads them
DEV_MAILBOX_DIR = DATA_DIR / "mail"
ALLOW_DEMO_DATA = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# OpenID Connect providers on http://127.0.0.1 (the test provider); production refuses this
OIDC_ALLOW_INSECURE_TRANSPORT = True

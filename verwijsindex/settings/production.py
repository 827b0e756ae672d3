"""Production profile. Refuses to start when a secret or service setting is missing or a dev default."""

from django.core.exceptions import ImproperlyConfigured

from audit.keys import LogbookKeyError, hmac_key_ring, signing_key_ring

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    ANYMAIL,
    BSN_ENCRYPTION_KEYS,
    BSN_PSEUDONYM_KEY,
    EMAIL_PROVIDER,
    EMAIL_URL,
    LOGBOOK_CHECKPOINT_KEYS,
    LOGBOOK_HMAC_KEYS,
    SECRET_KEY,
    env,
)
from .local_secrets import DEV_MARKER, dev_secret_values

DEBUG = False
# persistent database connections (one per gunicorn thread): no connect and authentication per request
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # noqa: F405


def _require(name: str, value, *, problem: str = "") -> None:
    if not value:
        raise ImproperlyConfigured(f"Production needs the environment variable {name}; it is not set.")
    values = value if isinstance(value, list) else [value]
    if any(str(v).startswith(DEV_MARKER) for v in values):
        raise ImproperlyConfigured(f"{name} still holds a development value; set a production secret.")
    if problem:
        raise ImproperlyConfigured(f"{name}: {problem}")


_require("DJANGO_SECRET_KEY", SECRET_KEY)
_require("BSN_ENCRYPTION_KEYS", BSN_ENCRYPTION_KEYS)
if set(BSN_ENCRYPTION_KEYS) & set(dev_secret_values().get("BSN_ENCRYPTION_KEYS", "").split(",")):
    _require("BSN_ENCRYPTION_KEYS", BSN_ENCRYPTION_KEYS, problem="holds the generated development key.")
_require("BSN_PSEUDONYM_KEY", BSN_PSEUDONYM_KEY)
_require("ALLOWED_HOSTS", ALLOWED_HOSTS)
if "*" in ALLOWED_HOSTS:
    _require("ALLOWED_HOSTS", ALLOWED_HOSTS, problem="'*' accepts any host; list the region host names.")
_require("DATABASE_URL", env.str("DATABASE_URL", default=""))
_require("REDIS_URL", env.str("REDIS_URL", default=""))
_require("DEFAULT_FROM_EMAIL", env.str("DEFAULT_FROM_EMAIL", default=""))
if env.str("DEFAULT_FROM_EMAIL").rstrip(">").endswith(".localhost"):
    _require("DEFAULT_FROM_EMAIL", "x", problem="is a development address (.localhost); set the real sender.")
if len(SECRET_KEY) < 40:
    _require("DJANGO_SECRET_KEY", SECRET_KEY, problem="must be at least 40 characters long.")
if len(BSN_PSEUDONYM_KEY) < 32:
    _require("BSN_PSEUDONYM_KEY", BSN_PSEUDONYM_KEY, problem="must be at least 32 characters long.")

# the logbook's keys (docs/adr/0002-logbook.md): without them the chain could be rewritten unnoticed
_require("LOGBOOK_HMAC_KEYS", LOGBOOK_HMAC_KEYS)
_require("LOGBOOK_CHECKPOINT_KEYS", LOGBOOK_CHECKPOINT_KEYS)
for _name, _values, _ring in (
    ("LOGBOOK_HMAC_KEYS", LOGBOOK_HMAC_KEYS, hmac_key_ring),
    ("LOGBOOK_CHECKPOINT_KEYS", LOGBOOK_CHECKPOINT_KEYS, signing_key_ring),
):
    try:
        _ring(_values)
    except LogbookKeyError as _error:
        _require(_name, _values, problem=str(_error))
    if any(":dev-" in value for value in _values) or set(_values) & set(dev_secret_values().get(_name, "").split(",")):
        _require(_name, _values, problem="holds the generated development key.")

if EMAIL_PROVIDER == "smtp":
    _require("EMAIL_URL", EMAIL_URL)
    if any(dev_host in EMAIL_URL for dev_host in ("127.0.0.1:8025", "localhost:8025")):
        _require("EMAIL_URL", EMAIL_URL, problem="points at the development mail sink; set the real SMTP server.")
else:
    _require("ANYMAIL_API_KEY", env.str("ANYMAIL_API_KEY", default=""))
    # the tracking webhook marks addresses as failing; without the secret anyone could post events
    _require("ANYMAIL_WEBHOOK_SECRET", env.str("ANYMAIL_WEBHOOK_SECRET", default=""))
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
    # anymail looks the key up under the provider's own name (MAILGUN_API_KEY, POSTMARK_SERVER_TOKEN, ...)
    ANYMAIL = {
        **ANYMAIL,
        f"{EMAIL_PROVIDER.upper()}_API_KEY": ANYMAIL["API_KEY"],
        f"{EMAIL_PROVIDER.upper()}_SERVER_TOKEN": ANYMAIL["API_KEY"],
    }

BRP_SERVE_EMBEDDED_ENDPOINT = False
if env.bool("OIDC_ALLOW_INSECURE_TRANSPORT", default=False):
    _require("OIDC_ALLOW_INSECURE_TRANSPORT", "x", problem="http identity providers are for development only.")
OIDC_ALLOW_INSECURE_TRANSPORT = False
if env.str("BRP_CLIENT", default="haal_centraal") == "haal_centraal":
    _require("BRP_BASE_URL", env.str("BRP_BASE_URL", default=""))

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "verwijsindex.storage.StaticFilesStorage"},
}

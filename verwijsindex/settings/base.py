"""Settings shared by every profile. The environment is read here and nowhere else.

Every variable is documented where it is read. Profiles (dev, test, production) only change
defaults and switch features; production refuses to start with missing or dev secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()

# DJANGO_SECRET_KEY: Django's signing key. Dev and test generate one into .data/dev-secrets.env.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# ALLOWED_HOSTS: comma-separated host names (region hosts are checked again by the tenancy middleware).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

# BSN_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (MultiFernet key ring; rotate by
# prepending a key and running `manage.py bsn_reencrypt`).
BSN_ENCRYPTION_KEYS = env.list("BSN_ENCRYPTION_KEYS", default=[])
# BSN_PSEUDONYM_KEY: secret for the HMAC-SHA256 keyed pseudonyms of BSNs and BAG ids.
BSN_PSEUDONYM_KEY = env.str("BSN_PSEUDONYM_KEY", default="")
# BSN_PSEUDONYM_KEY_PREVIOUS: the key being rotated away from, only during `pseudonym_rotate`.
BSN_PSEUDONYM_KEY_PREVIOUS = env.str("BSN_PSEUDONYM_KEY_PREVIOUS", default="")

# The logbook's tamper evidence (docs/adr/0002-logbook.md). Dev and test generate both keys into .data/dev-secrets.env.
# LOGBOOK_HMAC_KEYS: comma-separated `<version>:<secret>` pairs, newest first. Each logbook entry's hash is an
# HMAC-SHA256 under the newest key, and the entry names the version; rotate by prepending a new pair and keep the
# older ones for as long as entries hashed with them are kept (logbook_verify needs them).
LOGBOOK_HMAC_KEYS = env.list("LOGBOOK_HMAC_KEYS", default=[])
# LOGBOOK_CHECKPOINT_KEYS: comma-separated `<version>:<base64 of a 32-byte Ed25519 private key>` pairs, newest
# first: the keys that sign the checkpoints (head hash, count, time) kept outside the database.
LOGBOOK_CHECKPOINT_KEYS = env.list("LOGBOOK_CHECKPOINT_KEYS", default=[])
# LOGBOOK_CHECKPOINT_DIR: the folder the signed checkpoints are written to. In production a mount the database's
# administrators cannot write to (another host, a WORM or versioned bucket mounted as a folder).
LOGBOOK_CHECKPOINT_DIR = env.path("LOGBOOK_CHECKPOINT_DIR", default=str(DATA_DIR / "logbook-checkpoints"))
# LOGBOOK_CHECKPOINT_STORES: comma-separated further stores, each `<kind>:<where>` (kinds: audit/checkpoints.py,
# STORE_KINDS; `file:/mnt/other-host/checkpoints`). Every checkpoint goes to each; verification reads them all.
LOGBOOK_CHECKPOINT_STORES = env.list("LOGBOOK_CHECKPOINT_STORES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "anymail",
    "rest_framework",
    "drf_spectacular",
    "accounts",
    "regions",
    "persons",
    "signals",
    "matching",
    "notifications",
    "rights",
    "audit",
    "reports",
    "letters",
    "api",
    "federation",
]

MIDDLEWARE = [
    # outermost: the database or Redis away answers 503 with Retry-After (docs/adr/0005-outages-answer-503.md)
    "verwijsindex.outages.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "verwijsindex.tenancy.RegionMiddleware",
    "audit.context.LogContextMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.ProviderSessionMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "verwijsindex.urls"
WSGI_APPLICATION = "verwijsindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "verwijsindex.tenancy.region_context",
                "verwijsindex.navigation.main_navigation",
            ],
            "libraries": {"nlds": "verwijsindex.nlds"},
        },
    },
]

# DATABASE_URL: PostgreSQL, e.g. postgres://user:pass@host:5432/verwijsindex. `make` sets it to the
# project-local server when it is not given.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/verwijsindex")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# DATABASE_CONN_MAX_AGE: seconds a connection is reused across requests. 0 (a new connection per request, which
# costs ~15 ms of connecting and authenticating) suits runserver and the tests; production and bench reuse them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# before reusing a connection, check it still works (a restarted or failed-over server): a new one, not an error
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# DATABASE_SERVER_SIDE_BINDING: send parameters apart from the SQL (psycopg's server-side binding), so psycopg
# prepares a statement run more than 5 times on a connection and PostgreSQL stops re-planning it (1-2.5 ms per
# join query in match detection). Turn it off behind a transaction-mode connection pooler (PgBouncer < 1.21).
DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL: Redis for the Celery broker and the cache.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "vi",
        "OPTIONS": {
            # pages must keep working while Redis is down; the cache only speeds things up
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: server side, HttpOnly, idle timeout (SESSION_IDLE_MINUTES) and an absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=15)
# SESSION_ABSOLUTE_HOURS: a session ends this long after login, however active.
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account after AXES_FAILURE_LIMIT failed logins for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Locking by user name is the point (an account under attack is protected whatever the source address);
# the per-IP variant axes suggests would lock whole municipal offices behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "otp_webauthn.E030"]

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Verwijsindex")

# Passkeys (WebAuthn, django-otp-webauthn) are a second factor beside the authenticator app, never a login of their
# own. The relying party is the region's host and the allowed origin the host the request came in on (which the
# tenancy middleware checked): accounts/passkeys.py. Hence no static OTP_WEBAUTHN_ALLOWED_ORIGINS (check E030).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.RegionWebAuthnHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "accounts.passkeys.relying_party_name"
OTP_WEBAUTHN_TIMEOUT_SECONDS = 120

# Sign-in through an organisation's own OpenID Connect provider (accounts/oidc.py, docs/adr/0004); each provider
# is configured per organisation in the database. OIDC_CLIENT_SECRETS: client secrets kept out of the database,
# "client-id=secret,other-client-id=secret"; a secret found here wins over one stored (encrypted) in the database.
OIDC_CLIENT_SECRETS = env.dict("OIDC_CLIENT_SECRETS", default={})
# OIDC_TIMEOUT: seconds per call to a provider (discovery, token, userinfo, keys).
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
# http (not https) issuers: only the dev and test profiles allow them; production refuses to start with it on.
OIDC_ALLOW_INSECURE_TRANSPORT = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nlds", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("tokens", BASE_DIR / "node_modules" / "@utrecht" / "design-tokens" / "dist"),
    ("axe", BASE_DIR / "node_modules" / "axe-core"),
]
MEDIA_URL = "/media/"
# MEDIA_ROOT: where uploaded region logos are kept.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))

# Content Security Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

# E-mail. EMAIL_PROVIDER picks the django-anymail back-end in production (e.g. "mailgun",
# "postmark", "sendgrid", "amazon_ses"); "smtp" sends through EMAIL_URL.
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="smtp")
# EMAIL_URL: SMTP server, e.g. smtp://user:pass@host:587 (dev: the local sink).
EMAIL_URL = env.str("EMAIL_URL", default="")
# DEFAULT_FROM_EMAIL: the sender of every e-mail.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Verwijsindex <noreply@verwijsindex.localhost>")
# ANYMAIL_API_KEY / ANYMAIL_WEBHOOK_SECRET: the provider's API key and the tracking webhook secret
# ("user:password" basic auth that anymail checks on every webhook call).
ANYMAIL = {
    "API_KEY": env.str("ANYMAIL_API_KEY", default=""),
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
}
# ANYMAIL_WEBHOOK_PROVIDER: whose tracking webhook is mounted at /anymail/<provider>/tracking/ (the e-mail
# provider's; with plain SMTP there are no delivery reports, and the Postmark shape is used in tests).
ANYMAIL_WEBHOOK_PROVIDER = env.str(
    "ANYMAIL_WEBHOOK_PROVIDER", default=EMAIL_PROVIDER if EMAIL_PROVIDER != "smtp" else "postmark"
)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
# SITE_SCHEME: scheme for links in e-mails (https in production).
SITE_SCHEME = env.str("SITE_SCHEME", default="https")
# SITE_PORT: port appended to region hosts in e-mail links (dev: the runserver port).
SITE_PORT = env.str("SITE_PORT", default="")

# BRP: which client looks persons up. "haal_centraal" (the HTTP client) or "embedded" (in-process).
BRP_CLIENT = env.str("BRP_CLIENT", default="haal_centraal")
# BRP_BASE_URL: the Haal Centraal BRP Personen v2 base URL (dev/test: this project's own endpoint).
BRP_BASE_URL = env.str("BRP_BASE_URL", default="")
# BRP_API_KEY: sent as X-API-KEY. BRP_CLIENT_CERT / BRP_CLIENT_KEY: paths for mTLS.
BRP_API_KEY = env.str("BRP_API_KEY", default="")
BRP_CLIENT_CERT = env.str("BRP_CLIENT_CERT", default="")
BRP_CLIENT_KEY = env.str("BRP_CLIENT_KEY", default="")
# BRP_OIN / BRP_PURPOSE: the organisation's OIN and the purpose ("doelbinding") headers.
BRP_OIN = env.str("BRP_OIN", default="")
BRP_PURPOSE = env.str("BRP_PURPOSE", default="Verwijsindex risicojongeren (Jeugdwet art. 7.1.1.1)")
# BSN_LOOKUP_LIMIT_PER_HOUR: different youths one user may look up per hour before look-ups are refused
# and the region's process managers are alerted (a guard against BSN enumeration).
# The legal maxima of the Jeugdwet §7.1 within which each region sets its own parameters (regions/legal.py).
# While the law applies these are 23 years of age, 2 years active and 5 years in the archive; they are settings
# so that a deployment can follow a change of the law without a release.
LEGAL_MAX_AGE = env.int("LEGAL_MAX_AGE", default=23)
LEGAL_ACTIVE_YEARS = env.int("LEGAL_ACTIVE_YEARS", default=2)
LEGAL_ARCHIVE_YEARS = env.int("LEGAL_ARCHIVE_YEARS", default=5)
BSN_LOOKUP_LIMIT_PER_HOUR = env.int("BSN_LOOKUP_LIMIT_PER_HOUR", default=30)
# RIGHTS_LOOKUP_LIMIT_PER_HOUR: different youths one municipal staff member may register requests about per hour
# (and a process manager may search the logbook for by BSN).
RIGHTS_LOOKUP_LIMIT_PER_HOUR = env.int("RIGHTS_LOOKUP_LIMIT_PER_HOUR", default=10)
# BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION: different youths all API clients of one organisation may look up per
# hour, whichever professional they act for.
BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION = env.int("BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION", default=200)
# BSN_BIRTH_DATE_ATTEMPTS: look-ups of one BSN whose date of birth does not match, per user per 24 hours, before
# that user is stopped for that BSN and the process managers are alerted.
BSN_BIRTH_DATE_ATTEMPTS = env.int("BSN_BIRTH_DATE_ATTEMPTS", default=3)
# BRP_TIMEOUT: seconds per BRP call.
BRP_TIMEOUT = env.float("BRP_TIMEOUT", default=5.0)
# BRP_TEST_DATA: the embedded register's JSON; by default the repository's own copy of the RvIG test set
# (persons/brp_testset/README.md: provenance and licence).
BRP_TEST_DATA = env.path("BRP_TEST_DATA", default=str(BASE_DIR / "persons" / "brp_testset" / "test-data.json"))
# BAG_API_URL / BAG_API_KEY: the Kadaster "BAG API Individuele Bevragingen" v2, used to find the BAG id
# of an institutional address. Empty: dev/test search the embedded register, otherwise the id is entered.
BAG_API_URL = env.str("BAG_API_URL", default="")
BAG_API_KEY = env.str("BAG_API_KEY", default="")
# Whether this project's own /personen endpoint (serving the embedded register) is mounted.
BRP_SERVE_EMBEDDED_ENDPOINT = False

# Celery: the broker is Redis. acks_late with a prefetch of 1 means a task whose worker dies is run
# again, so every task must be idempotent.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# a placement must not hang when Redis is down: the sweep picks the work up later
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
# the log handlers write to stderr themselves; redirecting stderr into the logger would swallow them
CELERY_WORKER_REDIRECT_STDOUTS = False

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Verwijsindex API",
    "VERSION": "1.0.0",
    # request and response bodies as separate components, so read-only fields are not asked for
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# API (api/): API_CLIENT_CERT_HEADER is the request header in which the TLS-terminating proxy passes the
# SHA-256 fingerprint of the verified client certificate. Only clients with a pinned fingerprint are checked;
# the proxy must overwrite this header on every request (never pass a client's own value through).
API_CLIENT_CERT_HEADER = env.str("API_CLIENT_CERT_HEADER", default="X-SSL-Client-Fingerprint")
# API_THROTTLE_RATE / API_PLACE_THROTTLE_RATE: requests per API client ("N/second|minute|hour|day"), for all
# calls and for placing signals. Counted in the Redis cache; when Redis is down the limit is not enforced.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="300/minute")
API_PLACE_THROTTLE_RATE = env.str("API_PLACE_THROTTLE_RATE", default="60/minute")
# API_IDEMPOTENCY_HOURS: how long a placement's Idempotency-Key is remembered.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=48)

# Federation through the national hub (docs/federation.md, docs/adr/0020-federation-through-a-hub.md).
# VERWIJSINDEX_ROLE: "regional" (a regional index, the default) or "hub" (run with verwijsindex.settings.hub).
VERWIJSINDEX_ROLE = env.str("VERWIJSINDEX_ROLE", default="regional")
# FEDERATION_DEPLOYMENT_ID: this regional deployment's name on the hub's trust list; empty: not linked to a hub.
FEDERATION_DEPLOYMENT_ID = env.str("FEDERATION_DEPLOYMENT_ID", default="")
# FEDERATION_HUB_URL: the hub's base URL (https://...); empty: not linked to a hub.
FEDERATION_HUB_URL = env.str("FEDERATION_HUB_URL", default="")
# FEDERATION_TLS_CERT / FEDERATION_TLS_KEY: this party's certificate and its private key (PEM files, ECDSA P-256):
# the client certificate of mutual TLS, and the key that signs every call and answer.
FEDERATION_TLS_CERT = env.str("FEDERATION_TLS_CERT", default="")
FEDERATION_TLS_KEY = env.str("FEDERATION_TLS_KEY", default="")
# FEDERATION_TLS_CA: the CA bundle (PEM) that issued the federation's certificates; peers are verified against it.
FEDERATION_TLS_CA = env.str("FEDERATION_TLS_CA", default="")
# FEDERATION_HUB_CERT (regional): the hub's certificate (PEM): only it may call /federation/, its answers are
# verified with it.
FEDERATION_HUB_CERT = env.str("FEDERATION_HUB_CERT", default="")
# FEDERATION_CLIENT_CERT_HEADER: behind a TLS-terminating proxy, the header in which it passes the verified client
# certificate (URL-encoded PEM, e.g. nginx's $ssl_client_escaped_cert). Empty: only `manage.py federation_serve`,
# which terminates TLS itself. Never set it where clients can reach Django without that proxy.
FEDERATION_CLIENT_CERT_HEADER = env.str("FEDERATION_CLIENT_CERT_HEADER", default="")
# FEDERATION_TRUST_FILE (hub): the trust list, JSON {"deployments": {id: {"certificate": PEM, "url": base URL}},
# "operators": {name: PEM}}. Read again whenever the file changes: a deployment taken off it is refused at once.
FEDERATION_TRUST_FILE = env.str("FEDERATION_TRUST_FILE", default="")
# FEDERATION_OPRF_KEYS (hub): the hub's OPRF keys, comma-separated `<key id>:<base64 of a 32-byte seed>`, newest first.
# New registrations use the newest; keys of older ids are kept until every deployment has registered again.
FEDERATION_OPRF_KEYS = env.list("FEDERATION_OPRF_KEYS", default=[])
# FEDERATION_OPRF_LIMIT_PER_HOUR (hub): evaluation calls a deployment may make per hour (each up to 16 keys).
FEDERATION_OPRF_LIMIT_PER_HOUR = env.int("FEDERATION_OPRF_LIMIT_PER_HOUR", default=5000)
# FEDERATION_RIGHTS_LIMIT_PER_DAY (hub): citizens' requests a deployment may register per day before it asks other
# deployments about their signals on a youth (each request: one youth, a few inquiries).
FEDERATION_RIGHTS_LIMIT_PER_DAY = env.int("FEDERATION_RIGHTS_LIMIT_PER_DAY", default=25)
# FEDERATION_RIGHTS_REQUEST_KEEP_DAYS (hub): how long the hub keeps a registered citizen's request (its reference, kind,
# youth key digest, inquiries). A request is answered within the longest lawful period (AVG art. 12(3): one month,
# extended by at most two), so 90 days plus a month's margin; the hub's nightly sweep deletes older ones. At least 1.
FEDERATION_RIGHTS_REQUEST_KEEP_DAYS = env.int("FEDERATION_RIGHTS_REQUEST_KEEP_DAYS", default=120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_bsn": {"()": "persons.redaction.RedactBsnFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_bsn"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "celery": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "persons.redaction.RedactBsnExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "persons.redaction.RedactBsnExceptionReporter"
# every log record is redacted when it is made (persons.redaction.install_log_record_redaction, run at start-up)

# Dev conveniences that production never has.
DEV_TWO_FACTOR_SHORTCUT = False
DEV_MAILBOX_DIR = None
# ALLOW_DEMO_DATA: whether `manage.py load_demo` may create accounts with known passwords (dev and test do;
# elsewhere only a demo installation such as docker compose sets it).
ALLOW_DEMO_DATA = env.bool("ALLOW_DEMO_DATA", default=False)
# REFUSE_DEMO_ACCOUNTS: the application does not start while an account with a published demo password exists
# (accounts/startup.py; the production profile sets it, whatever ALLOW_DEMO_DATA says).
REFUSE_DEMO_ACCOUNTS = False

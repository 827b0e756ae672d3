"""Production refuses to start, naming the variable, when a secret or service setting is missing or a dev value.

Every case imports the production settings under exactly its own environment (nothing inherited);
all cases run in one subprocess to keep the suite fast.
"""

import pytest

from tests.foundation.environments import production_environment, run_with_settings, start_production_cases

REQUIRED = [
    "DJANGO_SECRET_KEY",
    "BSN_ENCRYPTION_KEYS",
    "BSN_PSEUDONYM_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "DEFAULT_FROM_EMAIL",
    "EMAIL_URL",
    "BRP_BASE_URL",
    "LOGBOOK_HMAC_KEYS",
    "LOGBOOK_CHECKPOINT_KEYS",
]
DEV_VALUES = [
    ("DJANGO_SECRET_KEY", "dev-" + "x" * 60),
    ("BSN_PSEUDONYM_KEY", "dev-" + "y" * 40),
    ("LOGBOOK_HMAC_KEYS", "dev-1:dev-" + "z" * 40),
    ("LOGBOOK_HMAC_KEYS", "1:too-short"),
    ("LOGBOOK_CHECKPOINT_KEYS", "1:not-base64-of-32-bytes"),
    ("DJANGO_SECRET_KEY", "short"),
    ("BSN_PSEUDONYM_KEY", "short"),
    ("ALLOWED_HOSTS", "*"),
    ("EMAIL_URL", "smtp://127.0.0.1:8025"),
    ("DEFAULT_FROM_EMAIL", "Verwijsindex <noreply@verwijsindex.localhost>"),
]
ANYMAIL = {"EMAIL_URL": None, "EMAIL_PROVIDER": "mailgun", "ANYMAIL_API_KEY": "key-1", "ANYMAIL_WEBHOOK_SECRET": "a:b"}


def _environment(**changes) -> dict[str, str]:
    environment = production_environment()
    for name, value in changes.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


@pytest.fixture(scope="module")
def outcomes():
    cases = {"complete": _environment(), "anymail": _environment(**ANYMAIL)}
    cases["anymail-without-key"] = _environment(**{**ANYMAIL, "ANYMAIL_API_KEY": None})
    cases.update({f"missing {name}": _environment(**{name: None}) for name in REQUIRED})
    cases.update({f"dev {name}={value}": _environment(**{name: value}) for name, value in DEV_VALUES})
    return start_production_cases(cases)


def test_production_starts_when_everything_is_set(outcomes):
    assert outcomes["complete"] == "started"


def test_production_starts_with_an_anymail_provider_instead_of_smtp(outcomes):
    assert outcomes["anymail"] == "started"


@pytest.mark.parametrize("name", REQUIRED)
def test_production_refuses_to_start_without(outcomes, name):
    outcome = outcomes[f"missing {name}"]
    assert outcome.startswith("ImproperlyConfigured")
    assert name in outcome


@pytest.mark.parametrize(("name", "value"), DEV_VALUES)
def test_production_refuses_development_values(outcomes, name, value):
    outcome = outcomes[f"dev {name}={value}"]
    assert outcome.startswith("ImproperlyConfigured")
    assert name in outcome


def test_production_refuses_an_anymail_provider_without_its_key(outcomes):
    assert outcomes["anymail-without-key"].startswith("ImproperlyConfigured")
    assert "ANYMAIL_API_KEY" in outcomes["anymail-without-key"]


def test_a_real_process_with_missing_secret_stops_with_the_variable_named():
    result = run_with_settings(_environment(DJANGO_SECRET_KEY=None), "from django.conf import settings; settings.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr.strip().splitlines()[-1]

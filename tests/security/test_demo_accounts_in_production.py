"""Issue #16 finding 5: demo accounts (published password) in production, as `.env.example` used to allow.

With ALLOW_DEMO_DATA=true the production profile loaded the demo accounts and served them. Production now
ignores the flag, and refuses to start (the WSGI application and `manage.py check`) while one exists.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from tests.accounts.factories import UserFactory
from tests.foundation.environments import production_environment, run_with_settings

pytestmark = pytest.mark.django_db


def test_production_ignores_allow_demo_data_and_refuses_demo_accounts():
    environment = {**production_environment(), "ALLOW_DEMO_DATA": "true"}
    result = run_with_settings(
        environment,
        "from django.conf import settings; "
        "print(settings.ALLOW_DEMO_DATA, getattr(settings, 'REFUSE_DEMO_ACCOUNTS', False))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_production_does_not_start_while_a_demo_account_exists(settings):
    from accounts.startup import demo_accounts_refuse

    settings.REFUSE_DEMO_ACCOUNTS = True
    demo_accounts_refuse()  # no demo account: starts
    call_command("check")
    UserFactory(is_demo=True)
    with pytest.raises(ImproperlyConfigured, match="Demo accounts"):
        demo_accounts_refuse()
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check")


def test_production_does_not_load_the_demo_accounts(settings):
    settings.ALLOW_DEMO_DATA = False  # what production sets, whatever the environment says
    with pytest.raises(CommandError, match="ALLOW_DEMO_DATA"):
        call_command("load_demo")

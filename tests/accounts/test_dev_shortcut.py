import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, professional
from tests.conftest import host_of
from tests.foundation.environments import run_with_settings

pytestmark = pytest.mark.django_db


def _logged_in_with_password(region, user):
    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    return client


@pytest.fixture
def demo_user(organisation):
    user = professional(organisation)
    user.is_demo = True
    user.save()
    return user


def test_dev_profile_offers_the_shortcut_to_demo_accounts_and_it_logs_them_in(region, demo_user, settings):
    settings.DEV_TWO_FACTOR_SHORTCUT = True
    client = _logged_in_with_password(region, demo_user)
    page = client.get(reverse("accounts:enrol"))
    assert "Demo: inloggen zonder tweede factor" in page.content.decode()
    response = client.post(reverse("accounts:dev_shortcut"))
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_shortcut_does_not_stop_a_demo_account_from_enrolling_an_app(region, demo_user, settings):
    settings.DEV_TWO_FACTOR_SHORTCUT = True
    client = _logged_in_with_password(region, demo_user)
    client.post(reverse("accounts:dev_shortcut"))
    client.post(reverse("accounts:logout"))
    client = _logged_in_with_password(region, demo_user)
    assert client.get(reverse("accounts:two_factor")).url == reverse("accounts:enrol")


def test_dev_profile_does_not_offer_the_shortcut_to_real_accounts(region, professional_user, settings):
    settings.DEV_TWO_FACTOR_SHORTCUT = True
    client = _logged_in_with_password(region, professional_user)
    assert "Demo: inloggen" not in client.get(reverse("accounts:enrol")).content.decode()
    assert client.post(reverse("accounts:dev_shortcut")).status_code == 404
    assert client.get(reverse("home")).url == reverse("accounts:two_factor")


def test_test_profile_never_offers_the_shortcut_even_to_demo_accounts(region, demo_user):
    client = _logged_in_with_password(region, demo_user)
    assert "Demo: inloggen" not in client.get(reverse("accounts:enrol")).content.decode()
    assert client.post(reverse("accounts:dev_shortcut")).status_code == 404
    assert client.get(reverse("home")).url == reverse("accounts:two_factor")


def _dev_settings_in_profile(profile: str, extra_env: dict | None = None) -> list[str]:
    environment = {**(extra_env or {}), "DJANGO_SETTINGS_MODULE": f"verwijsindex.settings.{profile}"}
    code = "from django.conf import settings; print(settings.DEV_TWO_FACTOR_SHORTCUT, bool(settings.DEV_MAILBOX_DIR))"
    result = run_with_settings(environment, code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_shortcut_and_mailbox_are_on_in_dev_and_off_in_test_and_production(production_env):
    assert _dev_settings_in_profile("dev") == ["True", "True"]
    assert _dev_settings_in_profile("test") == ["False", "False"]
    assert _dev_settings_in_profile("production", production_env) == ["False", "False"]

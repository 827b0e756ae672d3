import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD, professional
from tests.conftest import client_for, host_of
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_professional_logs_in_with_password_and_totp_code(region, professional_user):
    device = TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))

    response = client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("accounts:two_factor")

    response = client.post(reverse("accounts:two_factor"), {"token": _totp_now(device)})
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "Welkom" in page.content.decode()


def test_wrong_password_gives_a_clear_dutch_message(region, professional_user):
    client = Client(HTTP_HOST=host_of(region))
    response = client.post(reverse("accounts:login"), {"username": professional_user.email, "password": "nope"})
    assert response.status_code == 200
    assert "wachtwoord klopt niet" in response.content.decode()


def test_wrong_code_gives_a_clear_dutch_message(region, professional_user):
    TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert response.status_code == 200
    assert "code klopt niet" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("with_device", [True, False], ids=["second step", "enrolment"])
def test_a_code_left_empty_is_asked_for_not_ignored(region, professional_user, with_device):
    if with_device:
        TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    url = reverse("accounts:two_factor" if with_device else "accounts:enrol")
    response = client.post(url, {})
    assert response.status_code == 200
    # at enrolment the user has no backup codes yet: nothing mentions them
    expected = "Vul de code uit uw app of een back-upcode in." if with_device else "Vul de code in die uw app nu toont."
    assert response.context["form"].errors["token"] == [expected]
    assert with_device or "back-up" not in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_first_login_enrols_totp_and_shows_backup_codes(region, professional_user):
    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    assert client.get(reverse("accounts:two_factor")).url == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=professional_user, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"token": _totp_now(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert client.get(reverse("home")).status_code == 200


def test_user_of_another_region_is_refused_on_this_host(region, other_region):
    outsider = professional(OrganisationFactory(region=other_region))
    response = client_for(outsider, region).get(reverse("home"))
    assert response.status_code == 403
    assert "Geen toegang in deze regio" in response.content.decode()


def test_unknown_host_gets_a_clear_page(db):
    response = Client(HTTP_HOST="onbekend.localhost").get(reverse("accounts:login"))
    assert response.status_code == 404
    assert "Onbekende verwijsindex" in response.content.decode()


def test_anonymous_user_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_enrolment_key_is_grouped_in_fours_for_typing(region, professional_user):
    import re

    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    page = client.get(reverse("accounts:enrol")).content.decode()

    key = re.search(r'<code class="vi-key"[^>]*>([^<]+)</code>', page).group(1)
    groups = key.split(" ")
    assert len("".join(groups)) == 32 and all(len(group) == 4 for group in groups)

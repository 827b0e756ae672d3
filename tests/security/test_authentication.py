"""Authentication cannot be bypassed: sessions are not fixed or reused, timeouts hold, 2FA cannot be skipped."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD
from tests.conftest import client_for, host_of

pytestmark = pytest.mark.django_db


def _totp_now(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _log_in(client: Client, user, device: TOTPDevice) -> None:
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:two_factor"), {"token": _totp_now(device)})


def test_session_key_is_renewed_at_login_so_a_planted_session_cannot_be_fixed(region, professional_user):
    device = TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))
    client.get(reverse("accounts:login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attackerchosensessionkey000000000"
    _log_in(client, professional_user, device)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attackerchosensessionkey000000000"
    assert client.get(reverse("home")).status_code == 200


def test_session_cannot_be_reused_after_logout(region, professional_user):
    device = TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))
    _log_in(client, professional_user, device)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("accounts:logout"))

    thief = Client(HTTP_HOST=host_of(region))
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = thief.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_alone_never_opens_a_page_two_factor_cannot_be_skipped(region, professional_user):
    TOTPDevice.objects.create(user=professional_user, name="app", confirmed=True)
    client = Client(HTTP_HOST=host_of(region))
    client.post(reverse("accounts:login"), {"username": professional_user.email, "password": PASSWORD})
    for url in (reverse("home"), reverse("signals:list"), reverse("signals:place")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:two_factor")), url


def test_idle_session_ends_after_the_idle_timeout(region, professional_user):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client = client_for(professional_user, region)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302


def test_active_session_still_ends_at_the_absolute_timeout(region, professional_user):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client = client_for(professional_user, region)
        assert client.get(reverse("home")).status_code == 200
        # busy all day: a request every 10 minutes, never idle
        for _ in range(settings.SESSION_ABSOLUTE_HOURS * 6 - 1):
            traveller.shift(datetime.timedelta(minutes=10))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(datetime.timedelta(minutes=11))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD
from tests.conftest import client_for, host_of

pytestmark = pytest.mark.django_db


def _login(client, user, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(region, professional_user):
    client = Client(HTTP_HOST=host_of(region))
    for _attempt in range(4):
        response = _login(client, professional_user, "fout-wachtwoord")
        assert response.status_code == 200
    locked = _login(client, professional_user, "fout-wachtwoord")
    assert locked.status_code == 429
    assert "Account tijdelijk geblokkeerd" in locked.content.decode()

    right = _login(Client(HTTP_HOST=host_of(region)), professional_user)
    assert right.status_code == 429
    assert "Account tijdelijk geblokkeerd" in right.content.decode()
    assert "_auth_user_id" not in Client(HTTP_HOST=host_of(region)).session


def test_lockout_ends_after_the_cool_off_time(region, professional_user):
    client = Client(HTTP_HOST=host_of(region))
    for _attempt in range(5):
        _login(client, professional_user, "fout-wachtwoord")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(minutes=1)):
        assert _login(Client(HTTP_HOST=host_of(region)), professional_user).status_code == 302


def test_session_ends_after_fifteen_idle_minutes(region, professional_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(professional_user, region)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timezone.timedelta(minutes=14))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timezone.timedelta(minutes=15, seconds=30))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url == reverse("accounts:login")
        login_page = client.get(response.url)
        assert "U bent uitgelogd omdat u een tijd niets heeft gedaan" in login_page.content.decode()
        assert client.get(reverse("home")).status_code == 302


def test_idle_minutes_come_from_the_setting(region, professional_user, settings):
    settings.SESSION_IDLE_MINUTES = 2
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = client_for(professional_user, region)
        client.get(reverse("home"))
        traveller.shift(timezone.timedelta(minutes=3))
        assert client.get(reverse("home")).status_code == 302


def test_logout_ends_the_session(region, professional_user):
    client = client_for(professional_user, region)
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302


def test_logout_needs_a_post(region, professional_user):
    client = client_for(professional_user, region)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_session_key_rotates_at_login(region, professional_user):
    client = Client(HTTP_HOST=host_of(region))
    anonymous_session = client.session
    anonymous_session["seen"] = True
    anonymous_session.save()
    before = anonymous_session.session_key

    _login(client, professional_user)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(professional_user.pk)

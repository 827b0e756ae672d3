"""Issue #16 finding 4: taking over an account in another region through an invitation, as the attacker did.

As the coordinator of an organisation in Flevoland: invite the e-mail address of Haaglanden's process
manager, then reset that person's second factor from /account/gebruikers/, so that whoever knows the
password enrols their own authenticator. None of it may work; the holder of the account accepts a role
with their own password and second factor, and after a reset only the e-mailed link allows enrolment.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from tests.accounts.factories import PASSWORD, organisation_coordinator, process_manager, professional
from tests.conftest import client_for
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

BACKUP_CODE = "31415926"


@pytest.fixture
def flevoland(db):
    return RegionFactory(slug="flevoland", name="Verwijsindex Flevoland")


@pytest.fixture
def haaglanden(db):
    return RegionFactory(slug="haaglanden", name="Verwijsindex Haaglanden")


@pytest.fixture
def attacker(flevoland):
    return organisation_coordinator(OrganisationFactory(region=flevoland, code="wijkteam"))


@pytest.fixture
def victim(haaglanden):
    """Haaglanden's process manager, enrolled with an authenticator and backup codes."""
    user = process_manager(haaglanden)
    TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token=BACKUP_CODE)
    return user


def _invite(client, email, full_name="Iemand"):
    return client.post(reverse("regions:professional_invite"), {"email": email, "full_name": full_name}, follow=True)


def _link(message) -> str:
    return re.search(r"http://[^/\s]+(/\S+)", message.body).group(1)


def test_inviting_an_account_of_another_region_gives_no_power_over_it(
    flevoland, attacker, victim, django_capture_on_commit_callbacks
):
    client = client_for(attacker, flevoland)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, victim.email.upper())

    pending = Membership.objects.get(user=victim, organisation__region=flevoland)
    assert pending.role == Role.PROFESSIONAL and not pending.active
    listed = client.get(reverse("accounts:user_list")).content.decode()
    assert victim.email not in listed and victim.full_name not in listed
    reset = client.post(reverse("accounts:two_factor_reset", args=[victim.pk]))
    assert reset.status_code == 404
    assert TOTPDevice.objects.filter(user=victim).exists()
    # the organisation's own page does not show whose account the address is either
    assert victim.full_name not in client.get(reverse("regions:my_organisation")).content.decode()


def test_the_invite_page_does_not_tell_whether_an_address_has_an_account(
    flevoland, attacker, victim, django_capture_on_commit_callbacks
):
    client = client_for(attacker, flevoland)
    with django_capture_on_commit_callbacks(execute=True):
        existing = _invite(client, victim.email)
        new = _invite(client, "nog.geen.account@example.nl")

    def said(response, email):
        return [str(m).replace(email, "<adres>") for m in response.context["messages"]]

    assert said(existing, victim.email) == said(new, "nog.geen.account@example.nl")
    assert existing.status_code == new.status_code == 200
    assert victim.full_name not in existing.content.decode()


def test_the_holder_accepts_a_pending_role_with_password_and_second_factor(
    flevoland, attacker, victim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(attacker, flevoland), victim.email)
    (message,) = [m for m in mail.outbox if victim.email in m.to]
    page = Client(HTTP_HOST="flevoland.localhost")
    link = _link(message)

    assert page.get(link).status_code == 200
    page.post(link, {"password": PASSWORD, "token": "00000000"})
    page.post(link, {"password": "wrong-password-guess", "token": BACKUP_CODE})
    assert not Membership.objects.get(user=victim, organisation__region=flevoland).active

    # django-otp throttles a device for a while after a wrong code; the holder tries again a minute later
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        accepted = page.post(link, {"password": PASSWORD, "token": BACKUP_CODE})
    assert accepted.status_code == 302
    assert Membership.objects.get(user=victim, organisation__region=flevoland).active


def test_a_manager_resets_only_users_all_of_whose_roles_lie_in_their_scope(flevoland, haaglanden, attacker):
    organisation = Membership.objects.get(user=attacker).organisation
    shared = professional(organisation)
    Membership.objects.create(user=shared, role=Role.PROCESS_MANAGER, region=haaglanden)
    own = professional(organisation)
    client = client_for(attacker, flevoland)

    assert client.post(reverse("accounts:two_factor_reset", args=[shared.pk])).status_code == 404
    assert client.post(reverse("accounts:two_factor_reset", args=[own.pk])).status_code == 302


def test_after_a_reset_the_password_alone_does_not_enrol_a_new_authenticator(
    flevoland, attacker, django_capture_on_commit_callbacks
):
    organisation = Membership.objects.get(user=attacker).organisation
    target = professional(organisation)
    TOTPDevice.objects.create(user=target, name="telefoon", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(attacker, flevoland).post(reverse("accounts:two_factor_reset", args=[target.pk]))
    assert not TOTPDevice.objects.filter(user=target).exists()

    # whoever knows the password logs in: the enrolment page offers no QR code
    password_only = Client(HTTP_HOST="flevoland.localhost")
    password_only.force_login(target)
    page = password_only.get(reverse("accounts:enrol"))
    assert page.status_code == 200 and "data:image/svg" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=target).exists()

    # the one-time link from the e-mail to the user's own address opens enrolment, once
    (message,) = [m for m in mail.outbox if target.email in m.to]
    opened = password_only.get(_link(message))
    assert opened.status_code == 302 and opened["Location"] == reverse("accounts:enrol")
    assert "data:image/svg" in password_only.get(reverse("accounts:enrol")).content.decode()
    assert password_only.get(_link(message)).status_code == 410


@pytest.mark.parametrize("token", ["x" * 300, "<script>alert(1)</script>", "%00", "..%2F..%2Fetc", "\u202e\u0000"])
def test_a_hostile_enrolment_link_token_is_refused_without_an_error(flevoland, attacker, token):
    client = Client(HTTP_HOST="flevoland.localhost")
    client.force_login(attacker)  # the password step, as after a reset
    response = client.get(f"/account/tweestapsverificatie-opnieuw/{token}/")
    assert response.status_code in (400, 404)
    assert "<script>alert(1)</script>" not in response.content.decode()

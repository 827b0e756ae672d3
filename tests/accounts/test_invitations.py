import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Role
from accounts.services import invitation_token_hash, user_invite
from audit.models import LogEntry
from tests.accounts.factories import PASSWORD, UserFactory, organisation_coordinator, process_manager
from tests.conftest import host_of
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-lang-en-ongewoon-wachtwoord-42"


@pytest.fixture
def invite(organisation, django_capture_on_commit_callbacks):
    """Invite through the service (by default a professional of `organisation`, invited by nobody);
    gives the invitation and the link the e-mail holds."""

    def invite(**kwargs) -> tuple[Invitation, str]:
        kwargs = {"role": Role.PROFESSIONAL, "organisation": organisation, "invited_by": None, **kwargs}
        with django_capture_on_commit_callbacks(execute=True):
            invitation = user_invite(**kwargs)
        link = re.search(r"https?://\S+/account/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
        return invitation, link

    return invite


def _path_and_host(link: str) -> tuple[str, str]:
    match = re.match(r"https?://([^/:]+)(?::\d+)?(/.*)", link)
    return match.group(2), match.group(1)


def test_invitation_creates_user_without_password_membership_and_mails_a_link_on_the_region_host(
    region, organisation, invite
):
    coordinator = organisation_coordinator(organisation)
    invitation, link = invite(email="Nieuwe.Collega@Example.nl", full_name="Nieuwe Collega", invited_by=coordinator)

    user = invitation.user
    assert user.email == "nieuwe.collega@example.nl"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.PROFESSIONAL, organisation=organisation).exists()
    assert mail.outbox[-1].to == ["nieuwe.collega@example.nl"]
    assert _path_and_host(link)[1] == "midden-nederland.localhost"
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in invitation.token_hash
    assert (invitation.expires_at - invitation.created_at).days == 7
    assert LogEntry.objects.filter(action="user_invited", actor_id=coordinator.pk).exists()


def test_invited_person_sets_a_password_and_then_enrols_two_factor(region, organisation, invite):
    invitation, link = invite(email="nieuw@example.nl", full_name="Nieuw")
    path, host = _path_and_host(link)
    client = Client(HTTP_HOST=host)
    page = client.get(path)
    assert page.status_code == 200
    assert "nieuw@example.nl" in page.content.decode()

    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:enrol")
    assert client.get(reverse("accounts:enrol")).status_code == 200
    # logged in with a password only: every other page still wants the second factor
    assert client.get(reverse("home")).url == reverse("accounts:two_factor")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(NEW_PASSWORD)


def test_weak_password_is_refused_with_a_dutch_message_and_the_link_stays_usable(region, organisation, invite):
    invitation, link = invite(email="zwak@example.nl", full_name="Zwak")
    path, host = _path_and_host(link)
    client = Client(HTTP_HOST=host)
    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_invitation_gives_a_clear_dutch_page(region, organisation, invite):
    _invitation, link = invite(email="laat@example.nl", full_name="Laat")
    path, host = _path_and_host(link)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=7, minutes=1)):
        response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen" in response.content.decode()


def test_used_invitation_cannot_be_used_again(region, organisation, invite):
    _invitation, link = invite(email="eenmaal@example.nl", full_name="Eenmaal")
    path, host = _path_and_host(link)
    Client(HTTP_HOST=host).post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = Client(HTTP_HOST=host).post(path, {"new_password1": "ander-" + NEW_PASSWORD, "new_password2": "x"})
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()


def test_invitation_link_does_not_work_on_another_regions_host(region, other_region, organisation, invite):
    _invitation, link = invite(email="elders@example.nl", full_name="Elders")
    path, _host = _path_and_host(link)
    response = Client(HTTP_HOST=host_of(other_region)).get(path)
    assert response.status_code == 404
    assert "Deze link is ongeldig" in response.content.decode()


def test_inviting_an_existing_user_reuses_the_account_and_keeps_the_password(region, organisation, invite):
    existing = UserFactory(email="bestaand@example.nl", full_name="Bestaand")
    other_organisation = OrganisationFactory(region=region)
    invitation, link = invite(
        email="BESTAAND@example.nl",
        full_name="Andere Naam",
        role=Role.ORGANISATION_COORDINATOR,
        organisation=other_organisation,
    )
    assert invitation.user == existing
    existing.refresh_from_db()
    assert existing.full_name == "Bestaand"
    # the role waits until the holder accepts it with their own password (no second factor enrolled here)
    role = existing.memberships.get(role=Role.ORGANISATION_COORDINATOR, organisation=other_organisation)
    assert not role.active
    path, host = _path_and_host(link)
    response = Client(HTTP_HOST=host).post(path, {"password": PASSWORD})
    assert response.url == reverse("accounts:login")
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    role.refresh_from_db()
    assert role.active


def test_process_manager_invites_a_region_role_and_scope_must_fit_the_role(region, organisation):
    manager = process_manager(region)
    invitation = user_invite(
        email="monitor@example.nl",
        full_name="Monitor",
        role=Role.FOLLOWUP_MONITOR,
        region=region,
        invited_by=manager,
    )
    assert invitation.membership.region == region
    with pytest.raises(ValidationError):
        user_invite(
            email="fout@example.nl", full_name="Fout", role=Role.PROFESSIONAL, region=region, invited_by=manager
        )
    with pytest.raises(ValidationError):
        user_invite(
            email="fout@example.nl",
            full_name="Fout",
            role=Role.PROCESS_MANAGER,
            organisation=organisation,
            invited_by=manager,
        )


def test_inviting_into_an_inactive_organisation_is_refused(region):
    closed = OrganisationFactory(region=region, active=False)
    with pytest.raises(ValidationError, match="doet niet"):
        user_invite(email="x@example.nl", full_name="X", role=Role.PROFESSIONAL, organisation=closed, invited_by=None)

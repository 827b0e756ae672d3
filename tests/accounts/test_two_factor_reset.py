import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import LogEntry
from tests.accounts.factories import (
    MembershipFactory,
    followup_monitor,
    municipal_staff,
    organisation_coordinator,
    process_manager,
    professional,
    system_administrator,
)
from tests.conftest import client_for, host_of
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _reset_url(user):
    return reverse("accounts:two_factor_reset", kwargs={"user_id": user.pk})


def _enrolled(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    return user


def _has_devices(user) -> bool:
    return TOTPDevice.objects.filter(user=user).exists() or StaticDevice.objects.filter(user=user).exists()


def test_coordinator_resets_two_factor_of_a_professional_of_their_organisation_after_confirming(region, organisation):
    coordinator = organisation_coordinator(organisation)
    colleague = _enrolled(professional(organisation))
    client = client_for(coordinator, region)

    confirm = client.get(_reset_url(colleague))
    assert confirm.status_code == 200
    assert colleague.email in confirm.content.decode()
    assert _has_devices(colleague)

    response = client.post(_reset_url(colleague))
    assert response.url == reverse("accounts:user_list")
    assert not _has_devices(colleague)
    assert LogEntry.objects.filter(action="two_factor_reset", actor_id=coordinator.pk).exists()

    # the colleague enrols again at the next login
    after = Client(HTTP_HOST=host_of(region))
    after.force_login(colleague)
    assert after.get(reverse("accounts:two_factor")).url == reverse("accounts:enrol")


def test_coordinator_cannot_reset_someone_of_another_organisation(region, organisation):
    coordinator = organisation_coordinator(organisation)
    stranger = _enrolled(professional(OrganisationFactory(region=region)))
    client = client_for(coordinator, region)
    assert client.get(_reset_url(stranger)).status_code == 404
    assert client.post(_reset_url(stranger)).status_code == 404
    assert _has_devices(stranger)


def test_process_manager_resets_anyone_with_a_role_in_their_region(region, organisation, municipality):
    manager = process_manager(region)
    client = client_for(manager, region)
    for person in (
        professional(organisation),
        organisation_coordinator(organisation),
        municipal_staff(municipality),
        followup_monitor(region),
    ):
        _enrolled(person)
        assert client.post(_reset_url(person)).status_code == 302
        assert not _has_devices(person)


def test_process_manager_cannot_reset_users_of_another_region_or_system_administrators(
    region, other_region, organisation
):
    manager = process_manager(region)
    outsider = _enrolled(professional(OrganisationFactory(region=other_region)))
    admin = _enrolled(system_administrator())
    MembershipFactory(user=admin, role=Role.PROFESSIONAL, organisation=organisation)
    client = client_for(manager, region)
    assert client.post(_reset_url(outsider)).status_code == 404
    assert client.post(_reset_url(admin)).status_code == 404
    assert _has_devices(outsider) and _has_devices(admin)


def test_process_manager_of_another_region_is_refused_on_this_host(region, other_region, organisation):
    colleague = _enrolled(professional(organisation))
    response = client_for(process_manager(other_region), region).post(_reset_url(colleague))
    assert response.status_code == 403
    assert _has_devices(colleague)


@pytest.mark.parametrize("make_user", [professional, followup_monitor, municipal_staff])
def test_other_roles_may_not_reset_two_factor(region, organisation, municipality, make_user):
    target = _enrolled(professional(organisation))
    scope = {professional: organisation, followup_monitor: region, municipal_staff: municipality}[make_user]
    client = client_for(make_user(scope), region)
    assert client.post(_reset_url(target)).status_code == 403
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert _has_devices(target)


def test_anonymous_visitor_is_sent_to_login(anonymous_client, organisation):
    target = _enrolled(professional(organisation))
    response = anonymous_client.post(_reset_url(target))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert _has_devices(target)


def test_user_list_shows_the_people_a_coordinator_manages(region, organisation):
    coordinator = organisation_coordinator(organisation)
    colleague = professional(organisation)
    stranger = professional(OrganisationFactory(region=region))
    page = client_for(coordinator, region).get(reverse("accounts:user_list"))
    content = page.content.decode()
    assert colleague.email in content
    assert stranger.email not in content
    assert _reset_url(colleague) in content


def test_start_page_links_coordinators_and_process_managers_to_the_user_list(region, organisation):
    for user in (organisation_coordinator(organisation), process_manager(region)):
        assert reverse("accounts:user_list") in client_for(user, region).get(reverse("home")).content.decode()
    assert (
        reverse("accounts:user_list")
        not in client_for(professional(organisation), region).get(reverse("home")).content.decode()
    )

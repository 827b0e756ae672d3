"""Every screen of the region's governance refuses anonymous users, other roles and other regions."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# (url name, objects in the url as attributes of `world`, the role that may use it)
PROCESS_MANAGER_PAGES = [
    ("regions:manage_home", ()),
    ("regions:organisation_list", ()),
    ("regions:organisation_create", ()),
    ("regions:organisation_detail", ("organisation",)),
    ("regions:organisation_deactivate", ("organisation",)),
    ("regions:organisation_coordinator_invite", ("organisation",)),
    ("regions:municipality_list", ()),
    ("regions:municipality_edit", ("municipality",)),
    ("regions:coordinator_rules", ()),
    ("regions:institutional_addresses", ()),
    ("regions:region_settings", ()),
    ("regions:region_look", ()),
    ("regions:move_notice_list", ()),
    ("reports:statistics", ()),
    ("reports:statistics_csv", ()),
]
PROCESS_MANAGER_ACTIONS = [
    ("regions:organisation_reactivate", ("organisation",)),
    ("regions:institutional_address_remove", ("address",)),
    ("regions:move_notice_handle", ("notice",)),
]
COORDINATOR_PAGES = [
    ("regions:my_organisation", ()),
    ("regions:professional_invite", ()),
    ("regions:signalling_profile", ()),
]
# the same objects, but of the other region: a process manager here must get a 404, never a 403
OTHER_REGION_OBJECTS = {
    "organisation": "other_organisation",
    "municipality": "other_municipality",
    "address": "other_address",
    "notice": "other_notice",
}


def _url(world, name, objects):
    return reverse(name, args=[getattr(world, o).pk for o in objects])


@pytest.mark.parametrize(("name", "objects"), PROCESS_MANAGER_PAGES)
def test_process_manager_page_opens_for_the_regions_process_manager(world, name, objects):
    response = client_for(world.process_manager, world.region).get(_url(world, name, objects))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "objects"), PROCESS_MANAGER_PAGES + PROCESS_MANAGER_ACTIONS)
@pytest.mark.parametrize("who", ["monitor", "coordinator", "professional", "municipal_staff"])
def test_process_manager_page_refuses_other_roles_of_the_region(world, name, objects, who):
    client = client_for(getattr(world, who), world.region)
    response = (
        client.post(_url(world, name, objects))
        if (name, objects) in PROCESS_MANAGER_ACTIONS
        else client.get(_url(world, name, objects))
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "objects"), PROCESS_MANAGER_PAGES + PROCESS_MANAGER_ACTIONS + COORDINATOR_PAGES)
def test_page_refuses_a_process_manager_of_another_region(world, name, objects):
    response = client_for(world.other_process_manager, world.region).get(_url(world, name, objects))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "objects"), PROCESS_MANAGER_PAGES + PROCESS_MANAGER_ACTIONS + COORDINATOR_PAGES)
def test_page_sends_anonymous_users_to_the_login(world, anonymous_client, name, objects):
    response = anonymous_client.get(_url(world, name, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "objects"), [(n, o) for n, o in PROCESS_MANAGER_PAGES + PROCESS_MANAGER_ACTIONS if o])
def test_objects_of_another_region_are_not_found_for_a_process_manager(world, name, objects):
    other = [OTHER_REGION_OBJECTS[o] for o in objects]
    client = client_for(world.process_manager, world.region)
    url = _url(world, name, other)
    response = client.post(url) if (name, objects) in PROCESS_MANAGER_ACTIONS else client.get(url)
    assert response.status_code == 404


def test_coordinator_rule_of_another_region_is_not_found(world):
    client = client_for(world.process_manager, world.region)
    response = client.post(reverse("regions:coordinator_rules"), {"action": "remove", "rule": world.other_rule.pk})
    assert response.status_code == 404
    assert world.other_rule.__class__.objects.filter(pk=world.other_rule.pk).exists()


@pytest.mark.parametrize(("name", "objects"), COORDINATOR_PAGES)
def test_coordinator_page_opens_for_an_organisation_coordinator(world, name, objects):
    response = client_for(world.coordinator, world.region).get(_url(world, name, objects))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "objects"), COORDINATOR_PAGES)
@pytest.mark.parametrize("who", ["process_manager", "monitor", "professional", "municipal_staff"])
def test_coordinator_page_refuses_other_roles(world, name, objects, who):
    response = client_for(getattr(world, who), world.region).get(_url(world, name, objects))
    assert response.status_code == 403


def test_coordinator_sees_only_the_people_of_their_own_organisation(world):
    from tests.accounts.factories import professional

    colleague = professional(world.organisation, user__full_name="Collega Eigen")
    stranger = professional(world.sibling_organisation, user__full_name="Vreemde Ander")
    page = client_for(world.coordinator, world.region).get(reverse("regions:my_organisation")).content.decode()
    assert colleague.full_name in page
    assert stranger.full_name not in page

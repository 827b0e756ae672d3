"""Organisation coordinators create and revoke their organisation's API clients in the browser."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from api.models import ApiClient
from audit.models import LogEntry
from tests.accounts.factories import organisation_coordinator, process_manager, professional
from tests.conftest import client_for, host_of

from .conftest import ApiCaller
from .factories import api_client_with_token

pytestmark = pytest.mark.django_db

LIST = "/api-koppelingen/"
CREATE = "/api-koppelingen/nieuw/"


def test_coordinator_creates_a_client_and_sees_the_token_once(coordinator, org_a):
    browser = client_for(coordinator, org_a.region)
    response = browser.post(CREATE, {"name": "Regas", "organisation": org_a.pk, "certificate_fingerprint": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    client = ApiClient.objects.get(organisation=org_a, name="Regas")
    token = re.search(rf"{client.client_id}\.[\w-]+", response.content.decode()).group(0)
    assert ApiCaller(f"Bearer {token}").get("/api/v1/signals/").status_code == 200
    assert token not in browser.get(LIST).content.decode()
    assert client.created_by == coordinator
    assert LogEntry.objects.filter(action="api_client_created", actor_id=coordinator.pk).exists()


def test_invalid_fingerprint_keeps_the_input_with_a_dutch_message(coordinator, org_a):
    browser = client_for(coordinator, org_a.region)
    response = browser.post(CREATE, {"name": "Regas", "organisation": org_a.pk, "certificate_fingerprint": "xyz"})
    assert response.status_code == 200
    assert "Dit is geen SHA-256-vingerafdruk" in response.content.decode()
    assert 'value="Regas"' in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_form_posted_empty_shows_what_is_missing(coordinator, org_a):
    response = client_for(coordinator, org_a.region).post(CREATE, {})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiClient.objects.exists()


def test_coordinator_cannot_create_a_client_for_another_organisation(coordinator, org_a, org_b):
    browser = client_for(coordinator, org_a.region)
    response = browser.post(CREATE, {"name": "X", "organisation": org_b.pk})
    assert response.status_code == 200
    assert not ApiClient.objects.exists()


def test_coordinator_sees_only_own_organisations_clients(coordinator, org_a, region):
    from tests.regions.factories import OrganisationFactory

    api_client_with_token(org_a, name="Eigen systeem")
    api_client_with_token(OrganisationFactory(region=region), name="Buursysteem")
    page = client_for(coordinator, org_a.region).get(LIST).content.decode()
    assert "Eigen systeem" in page and "Buursysteem" not in page


def test_coordinator_revokes_a_client_and_its_token_stops_at_once(coordinator, org_a):
    client, authorization = api_client_with_token(org_a)
    browser = client_for(coordinator, org_a.region)
    assert browser.get(f"/api-koppelingen/{client.pk}/intrekken/").status_code == 200
    response = browser.post(f"/api-koppelingen/{client.pk}/intrekken/")
    assert response.status_code == 302
    assert ApiCaller(authorization).get("/api/v1/signals/").status_code == 401
    client.refresh_from_db()
    assert client.revoked_at is not None and client.revoked_by == coordinator
    assert LogEntry.objects.filter(action="api_client_revoked").exists()


def test_coordinator_of_another_organisation_gets_404_on_revoke(org_a, org_b, region):
    from tests.regions.factories import OrganisationFactory

    client, authorization = api_client_with_token(org_a)
    neighbour = organisation_coordinator(OrganisationFactory(region=region))
    response = client_for(neighbour, region).post(f"/api-koppelingen/{client.pk}/intrekken/")
    assert response.status_code == 404
    assert ApiCaller(authorization).get("/api/v1/signals/").status_code == 200


@pytest.mark.parametrize("make_user", [professional, lambda org: process_manager(org.region)])
def test_other_roles_may_not_manage_clients(org_a, make_user):
    user = make_user(org_a)
    browser = client_for(user, org_a.region)
    assert browser.get(LIST).status_code == 403
    assert browser.post(CREATE, {"name": "X", "organisation": org_a.pk}).status_code == 403
    assert not ApiClient.objects.exists()


def test_coordinator_on_another_regions_host_is_refused(coordinator, other_region):
    assert client_for(coordinator, other_region).get(LIST).status_code == 403


def test_anonymous_is_sent_to_login(org_a):
    response = Client(HTTP_HOST=host_of(org_a.region)).get(LIST)
    assert response.status_code == 302
    assert "/account/inloggen/" in response["Location"]


def test_command_creates_a_client_and_prints_the_token_once(org_a, capsys):
    call_command("api_client_create", "--organisation", org_a.code, "--name", "Cli")
    out = capsys.readouterr().out
    client = ApiClient.objects.get(name="Cli")
    token = re.search(rf"{client.client_id}\.[\w-]+", out).group(0)
    assert ApiCaller(f"Bearer {token}").get("/api/v1/signals/").status_code == 200


def test_command_refuses_an_unknown_organisation(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_client_create", "--organisation", "nope")

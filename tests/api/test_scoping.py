"""A client acts only for its own organisation: its professionals, its signals."""

import pytest

from tests.accounts.factories import organisation_coordinator, professional
from tests.signals.factories import SignalFactory

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_clients_organisations_signals(api_a, org_a, org_b, prof_a, prof_b):
    own = SignalFactory(professional=prof_a, organisation=org_a)
    SignalFactory(professional=prof_b, organisation=org_b)
    body = api_a.get("/api/v1/signals/").json()
    assert body["count"] == 1
    assert [s["id"] for s in body["results"]] == [own.pk]


def test_list_never_returns_a_bsn_only_name_and_date_of_birth(api_a, org_a, prof_a):
    from tests.persons.factories import YouthFactory

    youth = YouthFactory(bsn="111222333", first_names="Kim", surname="Jansen", birth_date_brp="20150600")
    SignalFactory(professional=prof_a, organisation=org_a, youth=youth)
    response = api_a.get("/api/v1/signals/")
    assert "111222333" not in response.content.decode()
    (signal,) = response.json()["results"]
    assert signal["youth"] == {"name": "Kim Jansen", "birth_date": "2015-06-00", "unborn": False}
    assert signal["professional"] == {"name": prof_a.full_name, "email": prof_a.email}
    assert set(signal["youth"]) == {"name", "birth_date", "unborn"}


def test_list_filters_by_professional_and_status(api_a, org_a):
    first, second = professional(org_a), professional(org_a)
    SignalFactory(professional=first, organisation=org_a)
    archived = SignalFactory(professional=second, organisation=org_a, status="archived", end_reason="concern_gone")
    assert api_a.get("/api/v1/signals/", {"professional": first.email.upper()}).json()["count"] == 1
    only_archived = api_a.get("/api/v1/signals/", {"status": "archived"}).json()
    assert [s["id"] for s in only_archived["results"]] == [archived.pk]
    assert only_archived["results"][0]["end_reason"] == "concern_gone"


def test_list_is_paged(api_a, org_a, prof_a):
    for _ in range(3):
        SignalFactory(professional=prof_a, organisation=org_a)
    page = api_a.get("/api/v1/signals/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(api_a.get("/api/v1/signals/", {"page_size": 2, "page": 2}).json()["results"]) == 1
    assert_error(api_a.get("/api/v1/signals/", {"page": 9}), 404, "not_found")


def test_signal_of_another_organisation_is_not_found(api_a, api_b, org_b, prof_b):
    theirs = SignalFactory(professional=prof_b, organisation=org_b)
    assert_error(api_a.get(f"/api/v1/signals/{theirs.pk}/"), 404, "not_found")
    assert api_b.get(f"/api/v1/signals/{theirs.pk}/").status_code == 200


def test_signal_of_another_organisation_in_the_same_region_is_not_found(api_a, region, prof_a):
    from tests.regions.factories import OrganisationFactory

    neighbour = OrganisationFactory(region=region)
    theirs = SignalFactory(professional=professional(neighbour), organisation=neighbour)
    assert_error(api_a.get(f"/api/v1/signals/{theirs.pk}/"), 404, "not_found")


def test_cannot_end_a_signal_of_another_organisation(api_a, org_b, prof_b):
    theirs = SignalFactory(professional=prof_b, organisation=org_b)
    assert_error(api_a.post(f"/api/v1/signals/{theirs.pk}/end/", {"reason": "placed_wrongly"}), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_huge_signal_id_is_not_found(api_a):
    assert_error(api_a.get(f"/api/v1/signals/{2**70}/"), 404, "not_found")


def test_cannot_place_for_a_professional_of_another_organisation(api_a, prof_b):
    body = {
        "professional_email": prof_b.email,
        "bsn": "111222333",
        "birth_date": "2015-06-01",
        "informing": {"status": "postponed", "reason": "gevaar"},
    }
    assert_error(api_a.post("/api/v1/signals/", body), 422, "professional_unknown", "professional_email")


def test_cannot_place_for_a_coordinator_who_is_no_professional(api_a, org_a):
    coordinator = organisation_coordinator(org_a)
    body = {
        "professional_email": coordinator.email,
        "bsn": "111222333",
        "birth_date": "2015-06-01",
        "informing": {"status": "postponed", "reason": "gevaar"},
    }
    assert_error(api_a.post("/api/v1/signals/", body), 422, "professional_unknown", "professional_email")

"""Matches of a signal through the API: matched professionals' contacts and the coordinator; follow-up."""

import pytest
from django.utils import timezone

from matching.models import MatchFollowUp
from matching.services import match_detect
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(org_a, org_b, prof_a, prof_b):
    youth = YouthFactory()
    ours = SignalFactory(professional=prof_a, organisation=org_a, youth=youth)
    theirs = SignalFactory(professional=prof_b, organisation=org_b, youth=youth, contact_phone="070 111 2222")
    match_detect(signal_id=ours.pk)
    match_detect(signal_id=theirs.pk)
    return ours, theirs


def test_matches_show_the_matched_professional_and_the_coordinator(api_a, matched, prof_b, org_b):
    ours, theirs = matched
    response = api_a.get(f"/api/v1/signals/{ours.pk}/matches/")
    assert response.status_code == 200, response.content
    body = response.json()
    (match,) = body["matches"]
    assert match["kinds"] == ["same_youth"] and match["status"] == "active"
    assert match["professional"] == {
        "name": theirs.contact_name,
        "organisation": org_b.name,
        "email": theirs.contact_email,
        "phone": "070 111 2222",
    }
    assert body["coordinator"]["email"] in (ours.contact_email, theirs.contact_email)
    assert body["follow_up"] is None


def test_sibling_match_does_not_reveal_the_other_youth(api_a, org_a, org_b, prof_a, prof_b):
    ours = SignalFactory(professional=prof_a, organisation=org_a, youth=YouthFactory(parent_bsns=("999999126",)))
    sibling = YouthFactory(parent_bsns=("999999126",), first_names="Geheime", surname="Broer")
    theirs = SignalFactory(professional=prof_b, organisation=org_b, youth=sibling)
    match_detect(signal_id=ours.pk)
    match_detect(signal_id=theirs.pk)
    response = api_a.get(f"/api/v1/signals/{ours.pk}/matches/")
    assert response.json()["matches"][0]["kinds"] == ["family"]
    assert "Geheime" not in response.content.decode() and "Broer" not in response.content.decode()


def test_matches_of_another_organisations_signal_are_not_found(api_a, matched):
    _, theirs = matched
    assert_error(api_a.get(f"/api/v1/signals/{theirs.pk}/matches/"), 404, "not_found")
    assert_error(api_a.post(f"/api/v1/signals/{theirs.pk}/follow-up/", {}), 404, "not_found")


def _coordinator_side(matched, api_a, api_b):
    ours, theirs = matched
    from matching.selectors import coordinator_of_youth

    if coordinator_of_youth(ours.youth_id).signal_id == ours.pk:
        return (api_a, ours), (api_b, theirs)
    return (api_b, theirs), (api_a, ours)


def test_coordinator_records_the_follow_up(api_a, api_b, matched):
    (coordinator_api, coordinators_signal), _ = _coordinator_side(matched, api_a, api_b)
    today = timezone.localdate().isoformat()
    body = {"contact_made_on": today, "coordination_agreed_on": None}
    response = coordinator_api.post(f"/api/v1/signals/{coordinators_signal.pk}/follow-up/", body)
    assert response.status_code == 200, response.content
    assert response.json()["contact_made_on"] == today
    follow_up = MatchFollowUp.objects.get(youth=coordinators_signal.youth)
    assert follow_up.recorded_by == coordinators_signal.professional
    shown = coordinator_api.get(f"/api/v1/signals/{coordinators_signal.pk}/matches/").json()
    assert shown["follow_up"]["contact_made_on"] == today


def test_participant_who_is_not_coordinator_cannot_record_follow_up(api_a, api_b, matched):
    _, (other_api, others_signal) = _coordinator_side(matched, api_a, api_b)
    body = {"contact_made_on": timezone.localdate().isoformat(), "coordination_agreed_on": None}
    assert_error(other_api.post(f"/api/v1/signals/{others_signal.pk}/follow-up/", body), 422, "not_coordinator")
    assert not MatchFollowUp.objects.exists()


def test_follow_up_dates_cannot_lie_in_the_future(api_a, api_b, matched):
    (coordinator_api, signal), _ = _coordinator_side(matched, api_a, api_b)
    body = {"contact_made_on": "2999-01-01", "coordination_agreed_on": None}
    assert_error(
        coordinator_api.post(f"/api/v1/signals/{signal.pk}/follow-up/", body), 400, "date_in_future", "contact_made_on"
    )

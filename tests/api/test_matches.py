"""Matches of a signal through the API: matched professionals' contacts and the coordinator; follow-up."""

import pytest
from django.utils import timezone

from matching.models import Match, MatchParticipation
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
    match = body["match"]
    assert match["reference"] == Match.objects.get().reference
    (other,) = [p for p in match["participants"] if not p["own"]]
    assert other["status"] == "active" and not other["archived"] and other["reference"] == theirs.reference
    assert other["professional"] == {
        "name": theirs.contact_name,
        "organisation": org_b.name,
        "email": theirs.contact_email,
        "phone": "070 111 2222",
    }
    assert match["coordinator"]["email"] == ours.contact_email  # the earliest signal, no rules
    assert match["coordination_agreed_on"] is None and other["contact_made_on"] is None


def test_sibling_match_does_not_reveal_the_other_youth(api_a, org_a, org_b, prof_a, prof_b):
    ours = SignalFactory(professional=prof_a, organisation=org_a, youth=YouthFactory(parent_bsns=("999999126",)))
    sibling = YouthFactory(parent_bsns=("999999126",), first_names="Geheime", surname="Broer")
    theirs = SignalFactory(professional=prof_b, organisation=org_b, youth=sibling)
    match_detect(signal_id=ours.pk)
    match_detect(signal_id=theirs.pk)
    response = api_a.get(f"/api/v1/signals/{ours.pk}/matches/")
    youths = response.json()["match"]["youths"]
    assert {"label": "broer/zus", "birth_year": sibling.birth_date.year, "own": False} in youths
    assert "Geheime" not in response.content.decode() and "Broer" not in response.content.decode()


def test_matches_of_another_organisations_signal_are_not_found(api_a, matched):
    _, theirs = matched
    assert_error(api_a.get(f"/api/v1/signals/{theirs.pk}/matches/"), 404, "not_found")
    assert_error(api_a.post(f"/api/v1/signals/{theirs.pk}/follow-up/", {}), 404, "not_found")


def _coordinator_side(matched, api_a, api_b):
    ours, theirs = matched
    if Match.objects.get().coordinator_signal_id == ours.pk:
        return (api_a, ours), (api_b, theirs)
    return (api_b, theirs), (api_a, ours)


def test_coordinator_records_the_follow_up(api_a, api_b, matched):
    (coordinator_api, coordinators_signal), _ = _coordinator_side(matched, api_a, api_b)
    today = timezone.localdate().isoformat()
    body = {"contact_made_on": today, "coordination_agreed_on": None}
    response = coordinator_api.post(f"/api/v1/signals/{coordinators_signal.pk}/follow-up/", body)
    assert response.status_code == 200, response.content
    assert response.json()["contact_made_on"] == today
    other = MatchParticipation.objects.exclude(signal=coordinators_signal).get()
    assert other.recorded_by == coordinators_signal.professional
    shown = coordinator_api.get(f"/api/v1/signals/{coordinators_signal.pk}/matches/").json()
    assert [p["contact_made_on"] for p in shown["match"]["participants"] if not p["own"]] == [today]


def test_participant_who_is_not_coordinator_cannot_record_follow_up(api_a, api_b, matched):
    _, (other_api, others_signal) = _coordinator_side(matched, api_a, api_b)
    body = {"contact_made_on": timezone.localdate().isoformat(), "coordination_agreed_on": None}
    assert_error(other_api.post(f"/api/v1/signals/{others_signal.pk}/follow-up/", body), 422, "not_coordinator")
    assert not MatchParticipation.objects.filter(contact_made_on__isnull=False).exists()


def test_follow_up_dates_cannot_lie_in_the_future(api_a, api_b, matched):
    (coordinator_api, signal), _ = _coordinator_side(matched, api_a, api_b)
    body = {"contact_made_on": "2999-01-01", "coordination_agreed_on": None}
    assert_error(
        coordinator_api.post(f"/api/v1/signals/{signal.pk}/follow-up/", body), 400, "date_in_future", "contact_made_on"
    )

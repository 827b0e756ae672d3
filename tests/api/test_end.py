"""Ending a signal through the API: concern gone archives, placed wrongly destroys, the same refusals apply."""

import pytest

from audit.models import LogEntry
from signals.models import Signal
from tests.signals.factories import SignalFactory

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(org_a, prof_a):
    return SignalFactory(professional=prof_a, organisation=org_a)


def test_concern_gone_archives_the_signal(api_a, signal, prof_a):
    response = api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "concern_gone"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "archived" and body["id"] == signal.pk and body["archive_until"]
    signal.refresh_from_db()
    assert signal.status == "archived" and signal.end_reason == "concern_gone"
    call = LogEntry.objects.get(action="api_call", details__endpoint="signal_end")
    assert call.actor_id == prof_a.pk and call.signal_id == signal.pk
    assert call.youth_pseudonym == signal.youth.pseudonym


def test_placed_wrongly_destroys_the_signal(api_a, signal):
    response = api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "placed_wrongly"})
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "destroyed"
    assert not Signal.objects.filter(pk=signal.pk).exists()
    assert_error(api_a.get(f"/api/v1/signals/{signal.pk}/"), 404, "not_found")


def test_ending_an_archived_signal_is_refused_like_in_the_browser(api_a, signal):
    api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "concern_gone"})
    body = assert_error(
        api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "concern_gone"}), 422, "signal_not_active"
    )
    assert body["message_nl"] == "Dit signaal is niet meer actief."
    assert body["message_en"] == "This signal is no longer active."


@pytest.mark.parametrize("reason", ["expired", "objection_upheld", "", None])
def test_only_the_professionals_end_reasons_are_accepted(api_a, signal, reason):
    response = api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": reason})
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    signal.refresh_from_db()
    assert signal.status == "active"


def test_detail_shows_the_signal(api_a, signal):
    body = api_a.get(f"/api/v1/signals/{signal.pk}/").json()
    assert body["reference"] == signal.reference and body["status"] == "active"
    assert body["end_reason"] is None

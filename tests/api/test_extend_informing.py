"""Extending a signal and recording a postponed informing through the API: the browser's rules and refusals."""

import datetime

import pytest
import time_machine

from audit.models import LogEntry
from signals.models import InformingStatus, SignalStatus
from tests.signals.factories import SignalFactory

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db

PLACED = datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def signal(org_a, prof_a):
    return SignalFactory(
        professional=prof_a,
        organisation=org_a,
        placed_at=PLACED,
        ends_on=datetime.date(2028, 11, 21),
        youth__birth_date=datetime.date(2014, 1, 1),
        informed_on=PLACED.date(),
    )


def extend_body(on: str, whom=("youth", "parents")):
    return {"informing": {"status": "informed", "whom": list(whom), "on": on, "how": "gesprek"}}


def test_extend_gives_a_new_period_and_is_logged_for_the_professional(api_a, signal, prof_a):
    with at(datetime.date(2028, 10, 1)):
        response = api_a.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2028-10-01"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == signal.pk and body["ends_on"] == "2030-09-30" and body["extension_count"] == 1
    entry = LogEntry.objects.get(action="signal_extended")
    assert entry.actor_id == prof_a.pk and entry.signal_id == signal.pk


def test_extend_after_the_end_is_refused(api_a, signal):
    with at(datetime.date(2028, 11, 22)):
        body = assert_error(
            api_a.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2028-11-22")), 422, "extension_refused"
        )
    assert "verlopen" in body["message_nl"] and body["message_en"]
    signal.refresh_from_db()
    assert signal.ends_on == datetime.date(2028, 11, 21)


def test_extend_beyond_the_23rd_birthday_is_refused(api_a, org_a, prof_a):
    signal = SignalFactory(
        professional=prof_a,
        organisation=org_a,
        placed_at=PLACED,
        ends_on=datetime.date(2027, 12, 31),  # the day before the 23rd birthday
        youth__birth_date=datetime.date(2005, 1, 1),
        informed_on=PLACED.date(),
    )
    with at(datetime.date(2027, 6, 1)):
        body = assert_error(
            api_a.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2027-06-01", ("youth",))),
            422,
            "extension_refused",
        )
    assert "23e verjaardag" in body["message_nl"]


def test_extend_an_archived_signal_is_refused(api_a, signal):
    signal.status = SignalStatus.ARCHIVED
    signal.save()
    with at(datetime.date(2028, 10, 1)):
        assert_error(
            api_a.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2028-10-01")), 422, "extension_refused"
        )


def test_extend_another_organisations_signal_is_not_found(api_b, signal):
    with at(datetime.date(2028, 10, 1)):
        assert_error(api_b.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2028-10-01")), 404, "not_found")


def test_extend_with_incomplete_informing_names_the_field(api_a, signal):
    with at(datetime.date(2028, 10, 1)):
        body = assert_error(
            api_a.post(f"/api/v1/signals/{signal.pk}/extend/", extend_body("2028-10-01", ("youth",))),
            422,
            "informing_incomplete",
            field="informing",
        )
    assert "ouders" in body["message_nl"]


def test_postponed_informing_is_recorded_later(api_a, signal):
    signal.informing_status = InformingStatus.POSTPONED
    signal.informing_reason = "gevaar"
    signal.save()
    with at(datetime.date(2027, 2, 1)):
        response = api_a.post(
            f"/api/v1/signals/{signal.pk}/informing/",
            {"status": "informed", "whom": ["youth", "parents"], "on": "2027-01-30", "how": "brief"},
        )
    assert response.status_code == 200, response.content
    assert response.json()["informing_status"] == "informed"
    assert LogEntry.objects.filter(action="signal_informing_updated", signal_id=signal.pk).exists()


def test_informing_update_of_an_informed_signal_is_refused(api_a, signal):
    with at(datetime.date(2027, 2, 1)):
        assert_error(
            api_a.post(f"/api/v1/signals/{signal.pk}/informing/", {"status": "postponed", "reason": "x"}),
            422,
            "informing_update_refused",
        )


def test_informing_update_cannot_omit(api_a, signal):
    response = api_a.post(f"/api/v1/signals/{signal.pk}/informing/", {"status": "omitted", "reason": "x"})
    assert response.status_code == 400 and response.json()["field"] == "status"

"""Placing a signal through the API: the BRP path, the browser's refusals, never a BSN, idempotency keys."""

import datetime

import pytest
from django.utils import timezone

from audit.models import LogEntry
from persons.models import Youth
from signals.models import Signal

from .conftest import ApiCaller
from .test_authentication import assert_error

pytestmark = pytest.mark.django_db

MAYA = "999970021"  # born 2015-02-01, daughter of 999999126 (see persons/brp_testset)
OLD = "000009830"  # born 1975
DECEASED = "999970239"
SIGNALS = "/api/v1/signals/"


def place_body(professional, bsn=MAYA, birth_date="2015-02-01", **informing):
    return {
        "professional_email": professional.email,
        "bsn": bsn,
        "birth_date": birth_date,
        "informing": informing
        or {"status": "informed", "whom": ["parents"], "on": timezone.localdate().isoformat(), "how": "gesprek"},
    }


def test_place_for_own_professional_returns_the_signal_without_bsn(brp, api_a, prof_a, org_a):
    response = api_a.post(SIGNALS, place_body(prof_a))
    assert response.status_code == 201, response.content
    assert MAYA not in response.content.decode()
    body = response.json()
    assert body["youth"]["birth_date"] == "2015-02-01" and body["youth"]["name"].startswith("Maya")
    assert body["professional"]["email"] == prof_a.email and body["status"] == "active"
    signal = Signal.objects.get(pk=body["id"])
    assert signal.organisation == org_a and signal.professional == prof_a
    call = LogEntry.objects.get(action="api_call", details__endpoint="signals_place")
    assert call.actor_id == prof_a.pk and call.signal_id == signal.pk and call.details["status"] == 201
    assert LogEntry.objects.filter(action="signal_placed", signal_id=signal.pk).exists()


def test_date_of_birth_must_equal_the_brps(brp, api_a, prof_a):
    assert_error(api_a.post(SIGNALS, place_body(prof_a, birth_date="2015-02-02")), 422, "person_not_matched", "bsn")
    assert not Signal.objects.exists() and not Youth.objects.exists()


@pytest.mark.parametrize(
    ("bsn", "birth_date", "code"),
    [
        ("123456789", "2015-02-01", "bsn_invalid"),
        ("111222333", "2015-02-01", "person_not_matched"),
        (DECEASED, "1998-12-01", "person_deceased"),
    ],
)
def test_person_lookup_refusals_name_the_bsn_field(brp, api_a, prof_a, bsn, birth_date, code):
    body = assert_error(api_a.post(SIGNALS, place_body(prof_a, bsn=bsn, birth_date=birth_date)), 422, code, "bsn")
    assert bsn not in str(body)


def test_youth_of_23_or_older_is_refused_with_the_browsers_message(brp, api_a, prof_a):
    # refused for the age before the informing answers are looked at, as in the browser flow
    response = api_a.post(SIGNALS, place_body(prof_a, bsn=OLD, birth_date="1975-07-07"))
    body = assert_error(response, 422, "youth_too_old")
    assert body["message_nl"].startswith("Deze persoon is 23 jaar of ouder.")
    assert body["message_en"].startswith("This person is 23 or older.")


def test_second_active_signal_of_the_same_professional_is_refused(brp, api_a, prof_a):
    assert api_a.post(SIGNALS, place_body(prof_a)).status_code == 201
    assert_error(api_a.post(SIGNALS, place_body(prof_a)), 422, "signal_already_active")
    assert Signal.objects.count() == 1


def test_incomplete_informing_is_refused_on_the_informing_field(brp, api_a, prof_a):
    response = api_a.post(SIGNALS, place_body(prof_a, status="postponed", reason=""))
    assert_error(response, 422, "informing_incomplete", "informing")


def test_unreachable_brp_is_a_503_to_retry(db, settings, api_a, prof_a):
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = "http://127.0.0.1:1/brp"
    response = api_a.post(SIGNALS, place_body(prof_a))
    assert_error(response, 503, "brp_unavailable")
    assert response["Retry-After"]


# --- Idempotency ---------------------------------------------------------------------------------------


def test_retry_with_the_same_key_returns_the_first_response_and_places_once(brp, api_a, prof_a):
    key = {"HTTP_IDEMPOTENCY_KEY": "crs-4711"}
    first = api_a.post(SIGNALS, place_body(prof_a), headers=key)
    again = api_a.post(SIGNALS, place_body(prof_a), headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Signal.objects.count() == 1


def test_same_key_with_another_body_is_refused(brp, api_a, prof_a):
    key = {"HTTP_IDEMPOTENCY_KEY": "crs-4711"}
    assert api_a.post(SIGNALS, place_body(prof_a), headers=key).status_code == 201
    other = place_body(prof_a, bsn="999970033", birth_date="2017-01-01")
    assert_error(api_a.post(SIGNALS, other, headers=key), 422, "idempotency_key_reused", "Idempotency-Key")
    assert Signal.objects.count() == 1


def test_keys_are_per_client(brp, api_a, org_a, prof_a):
    from .factories import api_client_with_token

    other_client = ApiCaller(api_client_with_token(org_a, name="Tweede systeem")[1])
    key = {"HTTP_IDEMPOTENCY_KEY": "same"}
    assert api_a.post(SIGNALS, place_body(prof_a), headers=key).status_code == 201
    second = other_client.post(SIGNALS, place_body(prof_a, bsn="999970033", birth_date="2017-01-01"), headers=key)
    assert second.status_code == 201
    assert Signal.objects.count() == 2


def test_failed_call_is_not_remembered_so_it_can_be_retried(brp, api_a, prof_a):
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    assert api_a.post(SIGNALS, place_body(prof_a, birth_date="2015-02-02"), headers=key).status_code == 422
    assert api_a.post(SIGNALS, place_body(prof_a), headers=key).status_code == 201


def test_idempotency_key_must_be_visible_ascii(api_a, prof_a):
    response = api_a.post(SIGNALS, place_body(prof_a), headers={"HTTP_IDEMPOTENCY_KEY": "x" * 256})
    assert_error(response, 400, "idempotency_key_invalid", "Idempotency-Key")


def test_stored_responses_hold_no_bsn_and_expire(brp, api_a, prof_a):
    from api.models import IdempotencyRecord
    from api.services import idempotency_records_purge

    api_a.post(SIGNALS, place_body(prof_a), headers={"HTTP_IDEMPOTENCY_KEY": "k1"})
    record = IdempotencyRecord.objects.get()
    assert MAYA not in str(record.response_body) and MAYA not in record.request_hmac
    assert idempotency_records_purge(now=timezone.now()) == 0
    assert idempotency_records_purge(now=timezone.now() + datetime.timedelta(hours=49)) == 1


def test_place_on_an_unborn_child_by_the_mothers_bsn_where_the_region_allows_it(brp, api_a, prof_a, org_a):
    # the mother 999999126 (born 1988-02-01); an expected date two months from today
    expected = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    body = {**place_body(prof_a, bsn="999999126", birth_date="1988-02-01"), "expected_birth_date": expected}

    assert_error(api_a.post(SIGNALS, body), 422, "unborn_not_allowed")
    org_a.region.unborn_signals_allowed = True
    org_a.region.save()
    response = api_a.post(SIGNALS, body)

    assert response.status_code == 201, response.content
    assert "999999126" not in response.content.decode()
    placed = response.json()
    assert placed["youth"]["unborn"] is True and placed["expected_birth_date"] == expected
    assert placed["youth"]["name"] == "ongeboren kind van Manon Maasland"
    assert Signal.objects.get(pk=placed["id"]).youth.is_unborn

"""Issue #16 findings 2 and 3: probing through the API and guessing a date of birth in the browser.

The attacks as described: API calls whose error codes told "no such BSN", "deceased" and "wrong date of
birth" apart, whose look-ups vanished from the logbook when the placement was refused; and a professional
trying dates of birth for one BSN until one fits, while the youth's name and address were stored anyway.
"""

import datetime

import pytest
from django.urls import reverse

from audit.models import LogEntry
from notifications.models import Notification
from persons.bsn import bsn_pseudonym
from persons.models import Youth
from tests.accounts.factories import process_manager, professional
from tests.api.test_place import DECEASED, MAYA, SIGNALS, place_body
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

UNKNOWN = "111222333"  # passes the elfproef, not in the register
MAYA_BORN = datetime.date(2015, 2, 1)
# spelled out so that these tests run (and fail) on code without the guards
LOOKUP_ACTION = "brp_lookup"
REFUSED_ACTION = "brp_lookup_refused"
GUESS_ALERT_ACTION = "birth_date_guessing_suspected"


def _answer(response) -> tuple:
    body = response.json()
    return response.status_code, body["code"], body["field"], body["message_nl"], body["message_en"]


# --- finding 2: the API ---------------------------------------------------------------------------------


def test_api_unknown_bsn_and_wrong_date_of_birth_get_one_answer(brp, api_a, prof_a):
    unknown = api_a.post(SIGNALS, place_body(prof_a, bsn=UNKNOWN, birth_date="2015-02-01"))
    wrong_date = api_a.post(SIGNALS, place_body(prof_a, bsn=MAYA, birth_date="2015-02-02"))
    assert _answer(unknown) == _answer(wrong_date)
    assert unknown.status_code == 422


def test_api_says_deceased_only_when_bsn_and_date_of_birth_agree(brp, api_a, prof_a):
    guessed = api_a.post(SIGNALS, place_body(prof_a, bsn=DECEASED, birth_date="2015-02-01"))
    unknown = api_a.post(SIGNALS, place_body(prof_a, bsn=UNKNOWN, birth_date="2015-02-01"))
    assert _answer(guessed) == _answer(unknown)
    assert api_a.post(SIGNALS, place_body(prof_a, bsn=DECEASED, birth_date="1998-12-01")).json()["code"] == (
        "person_deceased"
    )


@pytest.mark.django_db(transaction=True)
def test_api_look_up_stays_logged_when_the_placement_is_refused(brp, api_a, prof_a):
    assert api_a.post(SIGNALS, place_body(prof_a)).status_code == 201
    refused = api_a.post(SIGNALS, place_body(prof_a))
    assert refused.status_code == 422 and refused.json()["code"] == "signal_already_active"
    lookups = LogEntry.objects.filter(action=LOOKUP_ACTION, youth_pseudonym=bsn_pseudonym(MAYA), actor_id=prof_a.pk)
    assert lookups.count() == 2


@pytest.mark.django_db(transaction=True)
def test_api_refused_look_ups_count_toward_the_professionals_limit(brp, api_a, prof_a, settings):
    settings.BSN_LOOKUP_LIMIT_PER_HOUR = 2
    # two wrong dates for two persons: refused placements, but look-ups all the same
    for bsn, born in (("999970033", "2017-01-02"), ("999970045", "2017-01-02")):
        assert api_a.post(SIGNALS, place_body(prof_a, bsn=bsn, birth_date=born)).status_code == 422
    third = api_a.post(SIGNALS, place_body(prof_a))
    assert third.status_code == 429 and third.json()["code"] == "lookup_rate_limited"


def test_api_look_ups_of_all_professionals_count_toward_the_organisations_limit(brp, api_a, prof_a, org_a, settings):
    settings.BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION = 3
    manager = process_manager(org_a.region)
    colleague = professional(org_a)
    answers = [
        api_a.post(SIGNALS, place_body(who, bsn=bsn, birth_date=born))
        for who, bsn, born in (
            (prof_a, "999970033", "2017-01-01"),
            (colleague, "999970045", "2017-01-01"),
            (prof_a, MAYA, "2015-02-01"),
            (colleague, "999970021", "2015-02-01"),  # Maya again: no new youth
            (colleague, "999970057", "2017-01-01"),
        )
    ]
    assert [a.status_code for a in answers[:4]] == [201, 201, 201, 201]
    assert answers[4].status_code == 429 and answers[4].json()["code"] == "organisation_lookup_rate_limited"
    assert LogEntry.objects.filter(action=REFUSED_ACTION, youth_pseudonym=bsn_pseudonym("999970057")).exists()
    assert Notification.objects.filter(recipient=manager, kind="bsn_enumeration_alert").count() == 1


# --- finding 3: guessing a date of birth in the browser -------------------------------------------------


def _lookup(client, bsn, birth_date):
    return client.post(reverse("signals:place"), {"bsn": bsn, "birth_date": birth_date})


def test_guessing_a_date_of_birth_stops_the_user_for_that_bsn_and_alerts(brp, professional_user, region, settings):
    manager = process_manager(region)
    client = client_for(professional_user, region)
    attempts = settings.BSN_BIRTH_DATE_ATTEMPTS if hasattr(settings, "BSN_BIRTH_DATE_ATTEMPTS") else 3
    for day in range(2, 2 + attempts):
        response = _lookup(client, MAYA, f"2015-02-{day:02d}")
        assert response.status_code == 200
    # the right date now comes too late: the user is stopped for this BSN, and the process managers know
    stopped = _lookup(client, MAYA, MAYA_BORN.isoformat())
    assert stopped.status_code == 200 and "procesmanager" in stopped.content.decode()
    assert "Maya" not in stopped.content.decode()
    alert = LogEntry.objects.get(action=GUESS_ALERT_ACTION, actor_id=professional_user.pk)
    assert alert.youth_pseudonym == bsn_pseudonym(MAYA)
    notice = Notification.objects.get(recipient=manager, kind="bsn_enumeration_alert")
    assert MAYA not in notice.subject and MAYA not in str(notice.context)
    # every attempt is in the logbook, the refused one too
    assert LogEntry.objects.filter(action=LOOKUP_ACTION, youth_pseudonym=bsn_pseudonym(MAYA)).count() == attempts
    assert LogEntry.objects.filter(action=REFUSED_ACTION, youth_pseudonym=bsn_pseudonym(MAYA)).count() == 1
    # another BSN is not blocked
    assert _lookup(client, "999970033", "2017-01-01").status_code == 302


def test_nothing_is_stored_until_bsn_and_date_of_birth_agree(brp, professional_user, region):
    client = client_for(professional_user, region)
    _lookup(client, MAYA, "2015-02-02")
    assert not Youth.objects.exists()
    assert _lookup(client, MAYA, MAYA_BORN.isoformat()).status_code == 302
    assert Youth.objects.count() == 1


def _errors(response) -> str:
    return " ".join(
        str(e)
        for e in response.context["form"].non_field_errors() + response.context["form"].errors.get("birth_date", [])
    )


def test_unknown_bsn_wrong_date_and_deceased_with_wrong_date_read_alike_in_the_browser(brp, professional_user, region):
    client = client_for(professional_user, region)
    unknown = _errors(_lookup(client, UNKNOWN, "2015-02-01"))
    wrong_date = _errors(_lookup(client, MAYA, "2015-02-02"))
    deceased_guess = _errors(_lookup(client, "999970422", "2015-02-01"))
    assert unknown == wrong_date == deceased_guess
    assert "overleden" in _errors(_lookup(client, "999970422", "2021-10-12"))

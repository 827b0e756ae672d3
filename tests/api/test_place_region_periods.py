"""The API places a signal through the browser's service: the organisation's region's periods apply the same way."""

import datetime

import pytest
import time_machine

from signals.models import Signal

from .test_place import SIGNALS, place_body

pytestmark = pytest.mark.django_db

PLACED = datetime.date(2026, 11, 22)


def test_a_signal_placed_through_the_api_follows_its_regions_periods(brp, api_a, prof_a, org_a):
    org_a.region.active_years, org_a.region.archive_years = 1, 3
    org_a.region.save()
    with time_machine.travel(datetime.datetime.combine(PLACED, datetime.time(10), tzinfo=datetime.UTC), tick=False):
        response = api_a.post(
            SIGNALS, place_body(prof_a, on=PLACED.isoformat(), status="informed", whom=["parents"], how="gesprek")
        )
    assert response.status_code == 201, response.content
    assert response.json()["ends_on"] == "2027-11-21"
    signal = Signal.objects.get(pk=response.json()["id"])
    assert signal.destroy_by == datetime.date(2030, 11, 22)


def test_the_api_refuses_a_youth_past_the_regions_maximum_age_with_its_message(brp, api_a, prof_a, org_a):
    org_a.region.max_age = 12  # Maya (born 1 February 2015) is 12 on 1 March 2027
    org_a.region.save()
    day = datetime.date(2027, 3, 1)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False):
        response = api_a.post(
            SIGNALS, place_body(prof_a, on=day.isoformat(), status="informed", whom=["youth", "parents"], how="gesprek")
        )
    assert response.status_code == 422, response.content
    assert "tot 12 jaar" in response.content.decode()
    assert not Signal.objects.exists()

"""A process manager sets the region's own parameters within the legal maxima; each change is logged and public."""

import importlib

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import LogEntry
from regions import legal
from tests.accounts.factories import process_manager
from tests.conftest import client_for, host_of

pytestmark = pytest.mark.django_db

URL = "/regio/beheer/instellingen/"

CURRENT = {
    "max_age": 23,
    "active_years": 2,
    "archive_years": 5,
    "reminder_weeks": 4,
    "informing_postponed_weeks": 6,
    "internal_matches_reported": "on",
    "address_matches": "on",
    "unborn_overdue_weeks": 4,
    "unborn_end_weeks": 4,
    "followup_days": 14,
    "request_deadline_days": 28,
    "advice_days": 10,
}


@pytest.fixture
def pm(region):
    return client_for(process_manager(region), region)


def _public(region) -> str:
    return Client(HTTP_HOST=host_of(region)).get("/informatie/").content.decode()


def test_a_region_starts_at_the_legal_maxima(region):
    assert (region.max_age, region.active_years, region.archive_years) == (23, 2, 5)
    assert region.address_matches and not region.unborn_signals_allowed


def test_the_process_manager_shortens_the_periods_and_switches_address_matches_off(pm, region):
    response = pm.post(URL, {**CURRENT, "active_years": 1, "archive_years": 3, "address_matches": ""})
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.active_years, region.archive_years, region.address_matches) == (1, 3, False)
    entry = LogEntry.objects.filter(action="region_settings_changed").latest("id")
    assert entry.details["active_years"] == 1 and entry.details["address_matches"] is False
    page = _public(region)
    assert "Hoogstens 1 jaar" in page
    assert "of over jongeren die op hetzelfde adres wonen" not in page


@pytest.mark.parametrize(
    ("field", "value"), [("max_age", 24), ("active_years", 3), ("archive_years", 6)], ids=["age", "active", "archive"]
)
def test_a_parameter_past_the_legal_maximum_is_refused_with_a_clear_message(pm, region, field, value):
    response = pm.post(URL, {**CURRENT, field: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Zolang de wet dit voorschrijft, kan dit hoogstens" in content
    # what was typed stays in the form, and nothing was saved
    assert f'value="{value}"' in content
    region.refresh_from_db()
    assert getattr(region, field) == CURRENT[field]


def test_the_guard_rail_follows_the_legal_setting(pm, region, settings):
    settings.LEGAL_MAX_AGE = 27
    importlib.reload(legal)
    try:
        response = pm.post(URL, {**CURRENT, "max_age": 25})
        assert response.status_code == 302
        region.refresh_from_db()
        assert region.max_age == 25
    finally:
        settings.LEGAL_MAX_AGE = 23
        importlib.reload(legal)


def test_the_public_page_never_shows_more_than_the_law_allows(region, settings):
    region.max_age = 25  # set while the law allowed it; the law's setting went down since
    region.save()
    assert "tot 23 jaar" in _public(region)


def test_unborn_children_on_the_public_page_when_the_region_allows_them(pm, region):
    assert "kan al voor de geboorte een signaal geven" not in _public(region)
    pm.post(URL, {**CURRENT, "unborn_signals_allowed": "on"})
    assert "kan al voor de geboorte een signaal geven" in _public(region)


def test_the_settings_page_explains_each_parameter_and_its_legal_maximum(pm):
    content = pm.get(reverse("regions:region_settings")).content.decode()
    assert "De wet staat hoogstens 23 toe." in content
    assert "De wet staat hoogstens 2 jaar toe." in content
    assert "instellingsadressen niet bijgehouden" in content


def test_the_process_manager_sets_when_a_postponed_informing_comes_back_on_the_task_list(pm, region):
    assert pm.post(URL, {**CURRENT, "informing_postponed_weeks": 3}).status_code == 302
    region.refresh_from_db()
    assert region.informing_postponed_weeks == 3
    assert (
        LogEntry.objects.filter(action="region_settings_changed").latest("id").details["informing_postponed_weeks"] == 3
    )
    refused = pm.post(URL, {**CURRENT, "informing_postponed_weeks": 0})
    assert refused.status_code == 200
    region.refresh_from_db()
    assert region.informing_postponed_weeks == 3

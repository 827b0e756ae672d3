"""Every parameter of a region has a guard rail on the settings page, and says what a change does to signals."""

import pytest
from django.urls import reverse

from audit.actions import ACTION_LABELS
from audit.models import LogEntry
from tests.accounts.factories import process_manager
from tests.conftest import client_for
from tests.regions.test_region_parameters import CURRENT, URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(region):
    return client_for(process_manager(region), region)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_age", 24, "Zolang de wet dit voorschrijft, kan dit hoogstens 23 zijn."),
        ("active_years", 3, "Zolang de wet dit voorschrijft, kan dit hoogstens 2 zijn."),
        ("archive_years", 6, "Zolang de wet dit voorschrijft, kan dit hoogstens 5 zijn."),
        ("reminder_weeks", 27, "Zorg ervoor dat deze waarde hoogstens 26 is."),
        ("reminder_weeks", 0, "Zorg ervoor dat deze waarde minstens 1 is."),
        ("followup_days", 366, "Zorg ervoor dat deze waarde hoogstens 365 is."),
        ("max_age", 11, "Zorg ervoor dat deze waarde minstens 12 is."),
        ("active_years", 0, "Zorg ervoor dat deze waarde minstens 1 is."),
    ],
)
def test_a_value_outside_the_guard_rail_is_refused_in_dutch_and_nothing_changes(pm, region, field, value, message):
    before = getattr(region, field)
    response = pm.post(URL, {**CURRENT, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    region.refresh_from_db()
    assert getattr(region, field) == before


def test_the_help_texts_say_a_change_shortens_signals_from_the_next_run_and_never_lengthens_them(pm):
    content = pm.get(reverse("regions:region_settings")).content.decode()
    assert content.count("Een lagere waarde kort lopende en gearchiveerde signalen in") == 3  # age, active, archive
    assert "maakt een signaal nooit langer dan de professional bij het afgeven is verteld" in content
    assert "Een wijziging geldt voor matches die daarna ontstaan" in content


def test_a_lower_period_is_saved_and_logged_with_its_label(pm, region):
    assert pm.post(URL, {**CURRENT, "active_years": 1}).status_code == 302
    region.refresh_from_db()
    assert region.active_years == 1
    entry = LogEntry.objects.filter(action="region_settings_changed").latest("id")
    assert entry.details["active_years"] == 1 and entry.details["previous"] == {"active_years": 2}
    assert "region_settings_changed" in ACTION_LABELS and "signal_period_shortened" in ACTION_LABELS

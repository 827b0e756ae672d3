"""Date fields are Dutch text boxes (dd-mm-jjjj with a hint), not the browser's own date control (issue 18)."""

import datetime
import re

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation

from core.dates import DutchDateField
from tests.accounts.factories import municipal_staff, professional
from tests.conftest import client_for

DAY = datetime.date(2026, 3, 5)


class _Form(forms.Form):
    day = DutchDateField(label="Dag")


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.mark.parametrize(
    "typed", ["5-3-2026", "05-03-2026", " 05-03-2026 ", "5/3/2026", "05.03.2026", "5 3 2026", "05032026", "2026-03-05"]
)
def test_a_date_is_read_as_day_month_year_in_the_ways_people_type_it(typed):
    form = _Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY


@pytest.mark.parametrize("typed", ["03/05/26", "maart 2026", "5-3", "2026", "5-3-2026x"])
def test_a_date_that_cannot_be_read_says_the_format_in_dutch(typed):
    form = _Form({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-2026."]


def test_a_day_that_does_not_exist_is_named():
    form = _Form({"day": "31-02-2026"})
    assert not form.is_valid()
    assert form.errors["day"] == [
        "De datum 31-02-2026 bestaat niet. Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-2026."
    ]


def test_what_was_typed_is_shown_again_after_an_error_and_a_date_value_in_dutch_order():
    assert 'value="31-02-2026"' in str(_Form({"day": "31-02-2026"})["day"])
    assert 'value="05-03-2026"' in str(_Form(initial={"day": DAY})["day"])
    assert 'value="05-03-2026"' in str(_Form(initial={"day": "2026-03-05"})["day"])


def _control(page: str, label: str) -> tuple[str, str]:
    """The input of the label `label`, and the text of the descriptions it points to."""
    for_id = re.search(rf'<label class="utrecht-form-label" for="([^"]+)">{re.escape(label)}</label>', page).group(1)
    control = re.search(rf'<input[^>]*id="{for_id}"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', control).group(1).split()
    texts = [re.search(rf'id="{d}">([^<]*)<', page).group(1) for d in described]
    return control, " ".join(texts)


@time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_received_on_starts_at_today_in_dutch_order_with_its_hint(region, municipality):
    page = client_for(municipal_staff(municipality), region).get(reverse("rights:request_register")).content.decode()
    control, described = _control(page, "Ontvangen op")
    assert 'type="text"' in control and 'inputmode="numeric"' in control
    assert 'value="03-12-2026"' in control
    assert "Dag-maand-jaar (dd-mm-jjjj), bijvoorbeeld" in described
    assert 'type="date"' not in page


def test_the_placing_flow_takes_a_dutch_birth_date_and_explains_a_wrong_one(region, organisation, brp_embedded):
    client = client_for(professional(organisation), region)
    page = client.post(reverse("signals:place"), {"bsn": "999970021", "birth_date": "1-2-20155"}).content.decode()
    assert "Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-2026." in page
    assert 'value="1-2-20155"' in page
    response = client.post(reverse("signals:place"), {"bsn": "999970021", "birth_date": "1-2-2015"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_english_page_keeps_the_format_and_explains_it_in_english(region, municipality):
    client = client_for(municipal_staff(municipality), region)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    page = client.get(reverse("rights:request_register")).content.decode()
    control_id = re.search(r'<input[^>]*name="received_on"[^>]*id="([^"]+)"', page).group(1)
    example = '<span class="vi-nowrap">15-03-2026</span>'
    assert f'id="{control_id}_format">Day-month-year (dd-mm-yyyy), for example {example}.<' in page

"""Process managers search their own region's logbook; a BSN typed in is turned into a pseudonym and never shown."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.services import log_event
from persons.bsn import bsn_pseudonym
from tests.accounts.factories import municipal_staff, process_manager, professional
from tests.conftest import client_for
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BSN = "111222333"
URL = reverse("audit:logbook")


@pytest.fixture
def entries(region, other_region):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        log_event(action="signal_placed", region_id=region.pk, youth_pseudonym=bsn_pseudonym(BSN), signal_id=41)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC), tick=False):
        log_event(action="signal_ended", region_id=region.pk, youth_pseudonym=bsn_pseudonym("123456782"), signal_id=42)
        log_event(action="signal_placed", region_id=other_region.pk, signal_id=43, youth_pseudonym="other-region")


def _signal_refs(response) -> set[str]:
    return {ref for ref in ("VI-0000041", "VI-0000042", "VI-0000043") if ref in response.content.decode()}


def test_process_manager_sees_only_the_own_regions_logbook(region, manager, entries):
    response = client_for(manager, region).get(URL)
    assert response.status_code == 200
    assert _signal_refs(response) == {"VI-0000041", "VI-0000042"}


def test_logbook_filters_by_action_date_range_and_signal_reference(region, manager, entries):
    client = client_for(manager, region)
    assert _signal_refs(client.get(URL, {"action": "signal_ended"})) == {"VI-0000042"}
    assert _signal_refs(client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})) == {"VI-0000041"}
    assert _signal_refs(client.get(URL, {"signal": "VI-0000042"})) == {"VI-0000042"}
    assert _signal_refs(client.get(URL, {"signal": "41"})) == {"VI-0000041"}


def test_bad_filters_get_dutch_messages(region, manager, entries):
    client = client_for(manager, region)
    page = client.get(URL, {"signal": "abc", "date_from": "2026-05-01", "date_to": "2026-04-01"}).content.decode()
    assert "Dit is geen signaalreferentie" in page
    assert "De einddatum ligt voor de begindatum" in page


def test_search_by_bsn_uses_the_pseudonym_and_never_echoes_the_bsn(region, manager, entries):
    client = client_for(manager, region)
    response = client.post(URL, {"bsn": "111 222 333"})
    assert response.status_code == 302
    assert BSN not in response.url and "111" not in response.url
    page = client.get(response.url)
    assert _signal_refs(page) == {"VI-0000041"}
    html = page.content.decode()
    assert BSN not in html and "111 222 333" not in html
    assert "BSN wordt niet getoond" in html


def test_search_by_bsn_is_itself_logged_by_pseudonym(region, manager, entries):
    from audit.models import LogEntry

    client_for(manager, region).post(URL, {"bsn": BSN})
    entry = LogEntry.objects.get(action="logbook_searched_by_bsn")
    assert entry.youth_pseudonym == bsn_pseudonym(BSN)
    assert entry.actor_id == manager.pk
    assert BSN not in str(entry.details)


def test_invalid_bsn_gets_a_message_without_the_typed_value(region, manager, entries):
    response = client_for(manager, region).post(URL, {"bsn": "123456789"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "geen geldig burgerservicenummer" in html
    assert "123456789" not in html


def test_logbook_is_paginated(region, manager):
    for n in range(55):
        log_event(action="signal_placed", region_id=region.pk, signal_id=1000 + n)
    client = client_for(manager, region)
    first = client.get(URL)
    assert "Pagina 1 van 2" in first.content.decode()
    assert len(first.context["page"].object_list) == 50
    second = client.get(URL, {"pagina": 2, "action": "signal_placed"})
    assert len(second.context["page"].object_list) == 5


def test_logbook_pages_hold_no_plain_bsn(region, manager, entries):
    html = client_for(manager, region).get(URL).content.decode()
    assert BSN not in html


@pytest.mark.parametrize("who", ["professional", "municipal_staff"])
def test_other_roles_may_not_search_the_logbook(region, municipality, who):
    user = professional(OrganisationFactory(region=region)) if who == "professional" else municipal_staff(municipality)
    assert client_for(user, region).get(URL).status_code == 403


def test_process_manager_of_another_region_is_refused(region, other_region, entries):
    outsider = process_manager(other_region)
    response = client_for(outsider, region).get(URL)
    assert response.status_code == 403
    assert "VI-0000041" not in response.content.decode()


def test_process_manager_on_the_own_host_does_not_see_the_other_region(other_region, entries):
    manager_elsewhere = process_manager(other_region)
    response = client_for(manager_elsewhere, other_region).get(URL)
    assert _signal_refs(response) == {"VI-0000043"}


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_of_a_municipality_in_another_region_cannot_reach_it(region, other_region):
    staff_elsewhere = municipal_staff(MunicipalityFactory(region=other_region))
    assert client_for(staff_elsewhere, region).get(URL).status_code == 403

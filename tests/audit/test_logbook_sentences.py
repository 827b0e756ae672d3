"""Logbook lines are sentences naming their object in words: no action codes, no municipality codes (issue 18)."""

import re

import pytest
from django.urls import reverse

from audit.services import log_event
from tests.conftest import client_for
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:logbook")


def _cells(page: str) -> str:
    return " ".join(re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', page, flags=re.S))


def test_logbook_lines_name_the_rule_the_municipality_and_the_organisation(region, manager):
    organisation = OrganisationFactory(region=region, name="Jeugdzorg Midden")
    log_event(action="signal_placed", region_id=region.pk, signal_id=41)
    log_event(action="organisation_created", region_id=region.pk, organisation=organisation.pk)
    log_event(action="municipality_added", region_id=region.pk, cbs_code="1999")
    log_event(action="rights_request_decided", region_id=region.pk, rights_request=7, upheld=False)

    cells = _cells(client_for(manager, region).get(URL).content.decode())

    assert "Organisatie aangemaakt: organisatie Jeugdzorg Midden" in cells
    assert "gemeente buitenland / RNI" in cells
    assert "Besluit op verzoek: verzoek VZ-000007, afgewezen" in cells
    for code in ("signal_placed", "organisation_created", "municipality_added", "1999"):
        assert code not in cells


def test_a_coordinator_rule_line_names_the_sector_in_english_too(region, manager):
    from regions.models import Sector, Subtype

    log_event(action="coordinator_rule_added", region_id=region.pk, sector=Sector.EDUCATION, subtype=Subtype.values[0])
    client = client_for(manager, region)

    dutch = _cells(client.get(URL).content.decode())
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    english = _cells(client.get(URL).content.decode())

    assert str(Sector.EDUCATION.label) in dutch
    assert "coordinator_rule_added" not in dutch and "coordinator_rule_added" not in english
    assert "education" not in dutch

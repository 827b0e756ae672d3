"""The placing flow names a youth's municipality and secrecy in words, never the BRP's codes (issue 18)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.accounts.factories import professional
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# from the BRP test set: under secrecy (geheimhoudingPersoonsgegevens 1), living in Waddinxveen (0627)
SECRET_WADDINXVEEN = ("999971207", "15-06-2004")
EMIGRATED_RNI = ("999998535", "01-08-2016")  # registered in the RNI (1999) after emigrating


def _confirm_page(client, bsn: str, born: str) -> str:
    response = client.post(reverse("signals:place"), {"bsn": bsn, "birth_date": born})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("signals:place_confirm")).content.decode()


@time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_youth_under_secrecy_outside_the_regions_shows_the_municipality_by_name_and_secrecy_in_words(
    region, organisation, brp_embedded
):
    page = _confirm_page(client_for(professional(organisation), region), *SECRET_WADDINXVEEN)
    main = page.split("<main", 1)[1]
    assert "Waddinxveen" in main
    assert "Deze gemeente hoort niet bij een regio die op deze verwijsindex is aangesloten." in main
    assert "geldt geheimhouding van persoonsgegevens" in main and "niet bewaard" in main
    assert "0627" not in main and "Polderweg" not in main


@time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_an_emigrated_youth_shows_abroad_with_a_note_not_the_rni_code(region, organisation, brp_embedded):
    page = _confirm_page(client_for(professional(organisation), region), *EMIGRATED_RNI)
    main = page.split("<main", 1)[1]
    assert "buitenland / RNI" in main and "Registratie Niet-ingezetenen" in main
    assert "1999" not in main

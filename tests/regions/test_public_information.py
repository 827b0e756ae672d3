"""The region's public page for parents and youths: open to everyone, built from the region's own data, about nobody."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for, host_of
from tests.regions.factories import InstitutionalAddressFactory, MunicipalityFactory, OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

URL = "/informatie/"


def _page(region, *, language: str = "nl") -> str:
    client = Client(HTTP_HOST=host_of(region))
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_has_a_short_address_and_needs_no_login(region):
    assert reverse("public_information") == URL
    response = Client(HTTP_HOST=host_of(region)).get(URL)
    assert response.status_code == 200
    assert "/account/inloggen/" not in response.get("Location", "")


def test_the_page_names_the_region_its_organisations_by_sector_and_where_to_ask(region, other_region):
    MunicipalityFactory(
        cbs_code="0344",
        name="Utrecht",
        region=region,
        contact_email="privacy@utrecht.example",
        contact_phone="14 030",
        contact_url="https://www.utrecht.example/verwijsindex",
    )
    MunicipalityFactory(cbs_code="0307", name="Amersfoort", region=region)
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=other_region)
    OrganisationFactory(region=region, name="Wijkteam Overvecht", sector="social_support", subtype="wijkteam")
    OrganisationFactory(region=region, name="Basisschool De Boog", sector="education", subtype="school")
    OrganisationFactory(region=region, name="Opgeheven Stichting", sector="youth_care", active=False)
    OrganisationFactory(region=other_region, name="Jeugdhulp Den Haag", sector="youth_care")

    page = _page(region)

    assert region.name in page
    assert "Wijkteam Overvecht" in page and "Basisschool De Boog" in page
    assert "Maatschappelijke ondersteuning" in page and "Onderwijs" in page
    # an organisation that left, and another region's organisations and municipalities, are not listed
    assert "Opgeheven Stichting" not in page
    assert "Jeugdhulp Den Haag" not in page and "Gravenhage" not in page
    assert "privacy@utrecht.example" in page and "14 030" in page
    assert "https://www.utrecht.example/verwijsindex" in page
    # a municipality without its own contact details points to the region's address
    assert "Gemeente Amersfoort" in page and region.contact_email in page


def test_the_page_follows_the_regions_settings_as_they_are_now(region):
    region.reminder_weeks = 6
    region.followup_days = 21
    region.internal_matches_reported = True
    region.save()
    page = _page(region)
    assert "6 weken voordat een signaal afloopt" in page
    assert "binnen 21 dagen contact" in page
    assert "Ook twee hulpverleners van dezelfde organisatie krijgen een match." in page

    region.reminder_weeks = 1
    region.internal_matches_reported = False
    region.save()
    page = _page(region)
    assert "1 week voordat een signaal afloopt" in page
    assert "krijgen geen match met elkaar" in page


def test_institutional_addresses_are_explained_only_where_the_region_keeps_them(region):
    sentence = "Dan geeft dat adres geen match met andere jongeren daar."
    assert sentence not in _page(region)
    InstitutionalAddressFactory(region=region)
    assert sentence in _page(region)


def test_the_page_shows_nothing_about_any_person(region, municipality):
    signal = SignalFactory(organisation=OrganisationFactory(region=region, name="Jeugdhulp Utrecht"))
    youth = signal.youth
    page = _page(region)
    for personal in (youth.first_names, youth.street, youth.postcode, signal.contact_name, signal.contact_email):
        assert personal not in page
    assert signal.contact_phone not in page


def test_the_page_is_in_english_when_the_visitor_switched(region, municipality):
    page = _page(region, language="en")
    assert "information for parents and young people" in page
    assert "Your rights" in page


def test_an_unknown_host_gets_no_region_page(db):
    response = Client(HTTP_HOST="onbekend.localhost").get(URL)
    assert response.status_code in (400, 404)
    assert b"Wijkteam" not in response.content


def test_a_process_manager_sets_where_citizens_ask_and_the_page_shows_it(region, municipality):
    from tests.accounts.factories import process_manager

    pm = client_for(process_manager(region), region)
    response = pm.post(
        reverse("regions:municipality_edit", args=[municipality.pk]),
        {
            "name": "Utrecht",
            "contact_email": "verwijsindex@utrecht.example",
            "contact_phone": "14 030",
            "contact_url": "https://www.utrecht.example/inzage",
        },
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.contact_email == "verwijsindex@utrecht.example"
    assert "verwijsindex@utrecht.example" in _page(region)


def test_a_wrong_contact_address_gets_a_clear_message_and_keeps_what_was_typed(region, municipality):
    from tests.accounts.factories import process_manager

    pm = client_for(process_manager(region), region)
    response = pm.post(
        reverse("regions:municipality_edit", args=[municipality.pk]),
        {"name": "Utrecht", "contact_email": "geen-adres", "contact_phone": "14 030", "contact_url": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "geldig e-mailadres" in content
    assert 'value="14 030"' in content

"""A professional places a signal on an unborn child in a real browser (issue 20, docs/adr/0030-unborn-children.md)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import professional
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")

MOTHER = "999999126"  # Manon Maasland, born 1 February 1988, 's-Gravenhage


@pytest.fixture(scope="module")
def world(e2e_db):
    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    region = RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden-ongeboren", unborn_signals_allowed=True)
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    organisation = OrganisationFactory(region=region, name="Verloskundigenpraktijk Den Haag")
    midwife = professional(
        organisation, user__full_name="Vera Verloskundige", user__email="vera@verloskunde.example.nl"
    )
    device = TOTPDevice.objects.create(user=midwife, name="App", confirmed=True)
    return {"region": region, "midwife": midwife, "device": device}


def test_a_midwife_places_a_signal_on_the_unborn_child_of_a_pregnant_woman(world, visitors):
    from signals.models import Signal

    browser = visitors.open(world["region"], "Vera")
    browser.login(world["midwife"], world["device"])
    page = browser.goto(reverse("signals:place"))
    browser.click(page.get_by_role("link", name="Signaal afgeven op een ongeboren kind"))
    expected = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Burgerservicenummer (BSN) van de zwangere vrouw").fill(MOTHER)
    page.get_by_label("Geboortedatum van de zwangere vrouw").fill("1988-02-01")
    page.get_by_label("Verwachte geboortedatum").fill(expected.isoformat())
    browser.screenshot("e20-01-unborn-lookup")
    browser.click(page.get_by_role("button", name="Zoeken"))

    assert page.get_by_role("heading", name="Is dit de zwangere vrouw die u bedoelt?").is_visible(), browser.messages()
    assert "ongeboren kind van Manon Maasland" in page.inner_text("main") and MOTHER not in page.content()
    browser.screenshot("e20-02-unborn-confirm")
    browser.click(page.get_by_role("button", name="Ja, dit is de zwangere vrouw"))
    page.get_by_label("Ik heb het signaleringsprofiel van mijn organisatie gewogen").check()
    browser.click(page.get_by_role("button", name="Volgende"))

    assert "de moeder" in page.locator(".utrecht-alert").inner_text()
    page.get_by_label("Geïnformeerd", exact=True).check()
    page.get_by_label("de ouders/gezaghebbenden").check()
    page.get_by_label("Wanneer?").fill(timezone.localdate().isoformat())
    page.get_by_label("Hoe?").fill("Tijdens het intakegesprek")
    browser.click(page.get_by_role("button", name="Signaal afgeven"))

    assert page.get_by_role("heading", name="Uw signaal is afgegeven").is_visible(), browser.messages()
    signal = Signal.objects.get(professional=world["midwife"])
    assert signal.youth.is_unborn and signal.expected_birth_date == expected
    page = browser.goto(reverse("signals:detail", args=[signal.pk]))
    assert "ongeboren kind van Manon Maasland" in page.inner_text("main") and MOTHER not in page.content()
    assert page.get_by_role("link", name="Verwachte geboortedatum wijzigen").is_visible()
    browser.screenshot("e20-03-unborn-signal")  # at 1280 and 375 px

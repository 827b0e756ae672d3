"""A parent opens the region's public page in the browser, on a laptop and on a phone, without logging in."""

import pytest

from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")


@pytest.fixture(scope="module")
def region(e2e_db):
    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    region = RegionFactory(name="Verwijsindex Flevoland", slug="flevoland-informatie")
    MunicipalityFactory(
        cbs_code="0034", name="Almere", region=region,
        contact_email="verwijsindex@almere.example", contact_phone="14 036",
        contact_url="https://www.almere.example/verwijsindex-inzage-correctie-en-verwijderen-van-gegevens",
    )  # fmt: skip
    MunicipalityFactory(cbs_code="0995", name="Lelystad", region=region)
    OrganisationFactory(region=region, name="Jeugdgezondheidszorg GGD Flevoland", sector="youth_health_care")
    OrganisationFactory(region=region, name="Sociaal Wijkteam Almere Haven", sector="social_support")
    return region


@pytest.mark.parametrize("width", [1280, 375])
def test_a_parent_reads_the_public_page_on_a_laptop_and_a_phone(region, visitors, width):
    browser = visitors.open(region, f"Ouder-{width}")
    browser.page.set_viewport_size({"width": width, "height": 900})
    browser.goto("/")
    # the start page asks for a login; the public page is linked from every page's footer
    browser.click(browser.page.get_by_role("link", name="Informatie voor ouders en jongeren"))
    page = browser.page
    assert page.url.endswith("/informatie/")
    assert page.get_by_role("heading", name="Verwijsindex Flevoland: informatie voor ouders en jongeren").is_visible()
    assert page.get_by_role("heading", name="Uw rechten").is_visible()
    assert page.get_by_role("link", name="verwijsindex@almere.example").is_visible()
    browser.screenshot(f"public-information-{width}")
    widest = page.evaluate("() => document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
             .filter(el => el.getBoundingClientRect().right > width + 1)
             .slice(0, 5).map(el => el.tagName + '.' + el.className)""",
        width,
    )
    assert widest <= width, f"the page is {widest} px wide in a {width} px window: {culprits}"

    # the same page in English, through the language button
    browser.click(page.get_by_role("button", name="English"))
    assert page.get_by_role("heading", name="Your rights").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

"""A professional signs in with the account of her organisation (a real OpenID Connect provider on 127.0.0.1)
in chromium, and places a signal: no password and no authenticator app of the verwijsindex's own."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import ExternalIdentity, IdentityProvider
from accounts.oidc import client_secret_encrypt
from accounts.services import user_invite
from tests.e2e.test_scenario import MAYA_BSN
from tests.oidc_provider.provider import TestProvider, client_registration
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")

SECRET = "jgz-client-secret-for-the-verwijsindex"


@pytest.fixture(scope="module")
def region(e2e_db):
    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    region = RegionFactory(name="Verwijsindex Gooi en Vecht", slug="gooi-oidc")
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    return region


@pytest.fixture(scope="module")
def provider(e2e_stack, region):
    running = TestProvider(
        clients=[client_registration(client_id="verwijsindex", secret=SECRET, hosts=[e2e_stack.url(region, "")])]
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def anna(region, provider):
    organisation = OrganisationFactory(
        region=region,
        name="JGZ Gooi",
        signalling_profile="Wij signaleren bij zorgen over veiligheid of ontwikkeling die wij niet alleen oplossen.",
    )
    IdentityProvider.objects.create(
        organisation=organisation,
        issuer=provider.issuer,
        client_id="verwijsindex",
        client_secret_encrypted=client_secret_encrypt(SECRET),
        two_factor_amr="mfa",
    )
    provider.user_add("anna.devries", email="anna@jgz-gooi.example.nl", amr=["pwd", "mfa"])
    return user_invite(
        email="anna@jgz-gooi.example.nl", full_name="Anna de Vries", role="professional",
        organisation=organisation, invited_by=None,
    ).user  # fmt: skip


def test_a_professional_signs_in_through_her_organisation_and_places_a_signal(region, anna, visitors):
    browser = visitors.open(region, "Anna")
    page = browser.page
    browser.goto("/")
    assert "/account/inloggen/" in page.url
    browser.click(page.get_by_role("link", name="Inloggen met JGZ Gooi"))

    # at the organisation's own login page
    assert page.get_by_role("heading", name="Sign in at the organisation").is_visible()
    page.get_by_label("Login").fill("anna.devries")
    browser.click(page.get_by_role("button", name="Sign in"))

    # back, signed in with two factors proved by the organisation (amr "mfa"): no second step here
    assert page.get_by_role("heading", name="Welkom, Anna de Vries").is_visible(), browser.messages()
    assert ExternalIdentity.objects.get(user=anna).subject == "sub-anna.devries"
    browser.screenshot("oidc-01-signed-in-through-the-organisation")

    browser.goto(reverse("signals:place"))
    page.get_by_label("Burgerservicenummer (BSN)").fill(MAYA_BSN)
    page.get_by_label("Geboortedatum").fill("2015-02-01")
    browser.click(page.get_by_role("button", name="Zoeken"))
    assert page.get_by_role("heading", name="Is dit de jeugdige die u bedoelt?").is_visible(), browser.messages()
    browser.click(page.get_by_role("button", name="Ja, dit is de jeugdige"))
    page.get_by_label("Ik heb het signaleringsprofiel van mijn organisatie gewogen").check()
    browser.click(page.get_by_role("button", name="Volgende"))
    page.get_by_label("Geïnformeerd", exact=True).check()
    # everyone informed: who must be depends on the youth's age on the day the test runs
    for party in page.locator('input[name="whom"]').all():
        party.check()
    page.get_by_label("Wanneer?").fill(datetime.date.today().isoformat())
    page.get_by_label("Hoe?").fill("In een gesprek met de moeder")
    browser.click(page.get_by_role("button", name="Signaal afgeven"))
    assert page.get_by_role("heading", name="Uw signaal is afgegeven").is_visible(), browser.messages()
    browser.screenshot("oidc-02-signal-placed")

    # logging out here ends the session at the organisation too
    browser.click(page.get_by_role("button", name="Uitloggen"))
    assert page.get_by_role("heading", name="Sign out").is_visible()
    browser.click(page.get_by_role("button", name="Yes, sign me out"))
    assert "/account/inloggen/" in page.url

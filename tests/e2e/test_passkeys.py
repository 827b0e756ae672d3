"""A professional adds a passkey, logs in with it as the second step and removes it: chromium's virtual
authenticator (DevTools protocol, WebAuthn domain) plays the fingerprint reader."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.factories import PASSWORD, professional
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")


@pytest.fixture(scope="module")
def region(e2e_db):
    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    return RegionFactory(name="Verwijsindex Zeeland", slug="zeeland-passkeys")


@pytest.fixture(scope="module")
def sara(region):
    user = professional(OrganisationFactory(region=region), user__full_name="Sara Pauwels")
    return user, TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def _navigating_click(browser, locator):
    """A button whose script (not a form) leads to the next page."""
    with browser.page.expect_navigation():
        locator.click()
    browser.check()


def test_a_professional_adds_a_passkey_logs_in_with_it_and_removes_it(region, sara, visitors):
    user, device = sara
    browser = visitors.open(region, "Sara")
    page = browser.page
    devtools = browser.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    browser.login(user, device)

    browser.goto(reverse("accounts:passkeys"))
    assert "U heeft nog geen passkey." in page.content()
    _navigating_click(browser, page.get_by_role("button", name="Passkey instellen"))
    assert WebAuthnCredential.objects.filter(user=user).count() == 1
    assert page.get_by_role("button", name="Verwijder").is_visible()
    browser.screenshot("passkey-01-added")

    # log out, then the password and the passkey instead of a code
    browser.click(page.get_by_role("button", name="Uitloggen"))
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browser.click(page.get_by_role("button", name="Volgende"))
    assert "/account/tweede-stap/" in page.url
    browser.screenshot("passkey-02-second-step")
    _navigating_click(browser, page.get_by_role("button", name="Inloggen met uw passkey"))
    assert page.get_by_role("heading", name="Welkom, Sara Pauwels").is_visible(), browser.messages()
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None

    browser.goto(reverse("accounts:passkeys"))
    browser.click(page.get_by_role("button", name="Verwijder"))
    assert "De passkey is verwijderd." in browser.messages()
    assert not WebAuthnCredential.objects.filter(user=user).exists()

"""Signing in with the organisation's own account, against a real OpenID Connect provider on 127.0.0.1."""

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExternalIdentity, IdentityProvider, IdentityProviderUse, Invitation, User
from accounts.oidc import SESSION_EXPIRES_AT
from accounts.services import user_invite
from tests.accounts.factories import PASSWORD, organisation_coordinator, professional
from tests.conftest import client_for, host_of
from tests.foundation.environments import production_environment, run_with_settings
from tests.oidc_provider.provider import TestProvider, client_registration
from tests.regions.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

HOST = "http://midden-nederland.localhost"
SECRET = "organisation-client-secret"


@pytest.fixture(scope="module")
def provider():
    running = TestProvider(
        clients=[
            client_registration(client_id="verwijsindex-jgz", secret=SECRET, hosts=[HOST]),
            client_registration(client_id="verwijsindex-vt", secret=SECRET, hosts=[HOST]),
        ]
    )
    yield running
    running.stop()


@pytest.fixture
def jgz(organisation, provider, settings):
    settings.OIDC_CLIENT_SECRETS = {"verwijsindex-jgz": SECRET, "verwijsindex-vt": SECRET}
    return IdentityProvider.objects.create(
        organisation=organisation,
        issuer=provider.issuer,
        client_id="verwijsindex-jgz",
        email_domains="jgz.example.nl",
        two_factor_amr="mfa, hwk",
        two_factor_acr="urn:test:loa:substantial",
    )


def _invited(organisation, email: str) -> User:
    return user_invite(
        email=email, full_name="Fatima el Amrani", role="professional", organisation=organisation, invited_by=None
    ).user


def _sign_in(client: Client, provider: TestProvider, identity_provider, login: str, browser=None):
    """The whole round: this system → the provider (sign in as `login`) → back to this system's callback."""
    response = client.get(reverse("accounts:oidc_start", args=[identity_provider.pk]))
    assert response.status_code == 302 and response.url.startswith(provider.issuer)
    back = provider.sign_in(browser or requests.Session(), response.url, login)
    assert back.startswith(HOST), back
    return client.get(back.removeprefix(HOST))


def _messages(response) -> str:
    return " ".join(str(message) for message in response.wsgi_request._messages)


def test_invited_professional_signs_in_with_the_organisations_account_and_is_linked(
    region, organisation, provider, jgz
):
    user = _invited(organisation, "fatima@jgz.example.nl")
    provider.user_add("fatima", email="Fatima@jgz.example.nl", amr=["pwd", "mfa"])
    client = Client(HTTP_HOST=host_of(region))

    response = _sign_in(client, provider, jgz, "fatima")

    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    identity = ExternalIdentity.objects.get(provider=jgz)
    assert (identity.user, identity.subject) == (user, "sub-fatima")
    assert not Invitation.objects.filter(user=user, accepted_at__isnull=True).exists()


def test_a_linked_person_is_found_by_subject_even_when_the_provider_changed_the_email(
    region, organisation, provider, jgz
):
    user = _invited(organisation, "noor@jgz.example.nl")
    provider.user_add("noor", email="noor@jgz.example.nl", amr=["mfa"])
    _sign_in(Client(HTTP_HOST=host_of(region)), provider, jgz, "noor")
    provider.users["noor"]["email"] = "n.jansen@jgz.example.nl"
    provider.user_add("noor", email="n.jansen@jgz.example.nl", amr=["mfa"])

    client = Client(HTTP_HOST=host_of(region))
    _sign_in(client, provider, jgz, "noor")

    assert client.get(reverse("home")).wsgi_request.user == user


def test_the_invitation_link_links_the_account_whatever_address_the_provider_gives(
    region, organisation, provider, jgz, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = user_invite(
            email="m.bakker@thuis.example", full_name="Mila Bakker", role="professional",
            organisation=organisation, invited_by=None,
        )  # fmt: skip
    token = re.search(r"/account/uitnodiging/([^/\s]+)/", mailoutbox[-1].body).group(1)
    provider.user_add("mila", email="mila.bakker@jgz.example.nl", amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))
    page = client.get(reverse("accounts:invitation_accept", args=[token])).content.decode()
    assert f"Inloggen met {organisation.name}" in page

    start = client.get(reverse("accounts:oidc_start", args=[jgz.pk]) + f"?uitnodiging={token}")
    back = provider.sign_in(requests.Session(), start.url, "mila")
    client.get(back.removeprefix(HOST))

    assert client.get(reverse("home")).wsgi_request.user == invitation.user
    assert ExternalIdentity.objects.get(provider=jgz).user == invitation.user


def test_without_two_factors_in_the_id_token_this_systems_second_factor_is_asked(region, organisation, provider, jgz):
    _invited(organisation, "pieter@jgz.example.nl")
    provider.user_add("pieter", email="pieter@jgz.example.nl", amr=["pwd"])
    client = Client(HTTP_HOST=host_of(region))

    _sign_in(client, provider, jgz, "pieter")

    assert client.get(reverse("home")).url == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:two_factor")).url == reverse("accounts:enrol")


def test_an_acr_configured_for_the_provider_counts_as_two_factors(region, organisation, provider, jgz):
    _invited(organisation, "sanne@jgz.example.nl")
    provider.user_add("sanne", email="sanne@jgz.example.nl", amr=["pwd"], acr="urn:test:loa:substantial")
    client = Client(HTTP_HOST=host_of(region))

    _sign_in(client, provider, jgz, "sanne")

    assert client.get(reverse("home")).status_code == 200


def test_mfa_of_another_provider_setting_does_not_count(region, organisation, provider, jgz):
    jgz.two_factor_amr = "hwk"
    jgz.save()
    _invited(organisation, "ahmed@jgz.example.nl")
    provider.user_add("ahmed", email="ahmed@jgz.example.nl", amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))

    _sign_in(client, provider, jgz, "ahmed")

    assert client.get(reverse("home")).url == reverse("accounts:two_factor")


def test_someone_the_provider_knows_but_nobody_invited_gets_no_account(region, organisation, provider, jgz):
    provider.user_add("stranger", email="stranger@jgz.example.nl", amr=["mfa"])
    users_before = User.objects.count()
    client = Client(HTTP_HOST=host_of(region))

    response = _sign_in(client, provider, jgz, "stranger")

    assert response.url == reverse("accounts:login")
    assert "Vraag de coördinator van uw organisatie om een uitnodiging" in _messages(response)
    assert User.objects.count() == users_before
    assert client.get(reverse("home")).status_code == 302


def test_an_e_mail_address_the_provider_has_not_verified_links_nobody(region, organisation, provider, jgz):
    _invited(organisation, "kim@jgz.example.nl")
    provider.user_add("kim", email="kim@jgz.example.nl", amr=["mfa"], email_verified=False)
    client = Client(HTTP_HOST=host_of(region))

    response = _sign_in(client, provider, jgz, "kim")

    assert response.url == reverse("accounts:login")
    assert not ExternalIdentity.objects.exists()


def test_a_coordinator_of_another_organisation_cannot_configure_this_ones_provider(region, organisation):
    elsewhere = organisation_coordinator(OrganisationFactory(region=region))
    url = reverse("accounts:identity_provider", args=[organisation.pk])
    assert client_for(elsewhere, region).get(url).status_code == 404


def test_an_account_of_another_organisation_is_not_linked_through_this_provider(region, provider, jgz):
    elsewhere = professional(OrganisationFactory(region=region))
    provider.user_add("other", email=elsewhere.email, amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))

    response = _sign_in(client, provider, jgz, "other")

    assert response.url == reverse("accounts:login")
    assert not ExternalIdentity.objects.exists()


def test_logout_ends_the_session_at_the_provider_too(region, organisation, provider, jgz):
    _invited(organisation, "lisa@jgz.example.nl")
    provider.user_add("lisa", email="lisa@jgz.example.nl", amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))
    browser = requests.Session()
    _sign_in(client, provider, jgz, "lisa", browser=browser)

    response = client.post(reverse("accounts:logout"))

    assert response.url.startswith(f"{provider.issuer}/session/end")
    assert parse_qs(urlparse(response.url).query)["post_logout_redirect_uri"] == [f"{HOST}/account/inloggen/"]
    assert provider.sign_out(browser, response.url) == f"{HOST}/account/inloggen/"
    assert client.get(reverse("home")).status_code == 302
    # the provider forgot her too: signing in again asks for her login instead of passing straight through
    start = client.get(reverse("accounts:oidc_start", args=[jgz.pk]))
    assert 'name="login"' in browser.get(start.url).text


def test_someone_disabled_at_the_provider_cannot_sign_in_again(region, organisation, provider, jgz):
    _invited(organisation, "tom@jgz.example.nl")
    provider.user_add("tom", email="tom@jgz.example.nl", amr=["mfa"])
    _sign_in(Client(HTTP_HOST=host_of(region)), provider, jgz, "tom")
    provider.user_disable("tom")
    client = Client(HTTP_HOST=host_of(region))

    response = _sign_in(client, provider, jgz, "tom")

    assert response.url == reverse("accounts:login")
    assert "geweigerd" in _messages(response)
    assert client.get(reverse("home")).status_code == 302


def _provider_session_reaches_its_end(client):
    # the provider's clock runs on; make this session's provider end lie in the past instead of travelling
    session = client.session
    session[SESSION_EXPIRES_AT] = int(time.time()) - 1
    session.save()


def test_the_session_is_renewed_at_the_provider_and_ends_when_the_provider_refuses(region, organisation, provider, jgz):
    _invited(organisation, "eva@jgz.example.nl")
    provider.user_add("eva", email="eva@jgz.example.nl", amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))
    _sign_in(client, provider, jgz, "eva")
    assert client.session[SESSION_EXPIRES_AT] <= time.time() + 600

    _provider_session_reaches_its_end(client)
    assert client.get(reverse("home")).status_code == 200  # renewed with the refresh token
    assert client.session[SESSION_EXPIRES_AT] > time.time()

    provider.user_disable("eva")
    _provider_session_reaches_its_end(client)
    response = client.get(reverse("home"))
    assert response.url == reverse("accounts:login")
    assert "sessie bij uw organisatie is afgelopen" in _messages(response)
    assert client.get(reverse("home")).status_code == 302


def test_an_organisation_that_requires_its_provider_refuses_the_password_and_sends_its_domain_there(
    region, organisation, provider, jgz
):
    jgz.use = IdentityProviderUse.REQUIRED
    jgz.save()
    member = professional(organisation)
    client = Client(HTTP_HOST=host_of(region))

    by_password = client.post(reverse("accounts:login"), {"username": member.email, "password": PASSWORD})
    by_domain = client.post(reverse("accounts:login"), {"username": "iemand@JGZ.example.nl", "password": ""})

    assert by_password.status_code == 200
    assert "alleen inloggen met het account van de organisatie" in by_password.content.decode()
    assert by_domain.url.startswith(reverse("accounts:oidc_start", args=[jgz.pk]))
    assert "login_hint=iemand%40JGZ.example.nl" in by_domain.url


def test_the_login_page_offers_the_organisations_of_this_region(region, other_region, provider, jgz):
    IdentityProvider.objects.create(
        organisation=OrganisationFactory(region=other_region, name="Veilig Thuis Elders"),
        issuer=provider.issuer,
        client_id="verwijsindex-vt",
    )

    page = Client(HTTP_HOST=host_of(region)).get(reverse("accounts:login")).content.decode()

    assert f"Inloggen met {jgz.organisation.name}" in page
    assert "Veilig Thuis Elders" not in page


def test_a_callback_without_a_started_sign_in_is_refused_clearly(region, jgz):
    response = Client(HTTP_HOST=host_of(region)).get(reverse("accounts:oidc_callback") + "?code=x&state=y")
    assert response.url == reverse("accounts:login")
    assert "verlopen of niet van deze browser" in _messages(response)


def test_the_coordinator_configures_the_provider_with_the_secret_stored_encrypted(region, organisation, provider):
    coordinator = organisation_coordinator(organisation)
    client = client_for(coordinator, region)
    url = reverse("accounts:identity_provider", args=[organisation.pk])
    form = {
        "issuer": provider.issuer + "/",
        "client_id": "verwijsindex-jgz",
        "client_secret": SECRET,
        "scopes": "openid email  profile",
        "use": "required",
        "email_domains": "jgz.example.nl",
        "two_factor_amr": "mfa",
        "two_factor_acr": "",
        "active": "on",
    }

    assert client.get(url).status_code == 200
    response = client.post(url, form)

    assert response.status_code == 302
    saved = IdentityProvider.objects.get(organisation=organisation)
    assert (saved.issuer, saved.scopes, saved.use) == (provider.issuer, "openid email profile", "required")
    assert saved.client_secret_encrypted and SECRET not in saved.client_secret_encrypted
    from accounts.oidc import provider_client_secret

    assert provider_client_secret(saved) == SECRET


def _provider_form_posted(organisation, region, *, issuer: str):
    client = client_for(organisation_coordinator(organisation), region)
    form = {"issuer": issuer, "client_id": "x", "client_secret": "y", "scopes": "openid email", "use": "optional"}
    return client.post(
        reverse("accounts:identity_provider", args=[organisation.pk]), {**form, "two_factor_amr": "mfa", "active": "on"}
    )


def test_an_http_issuer_is_refused_outside_development(region, organisation, provider, settings):
    settings.OIDC_ALLOW_INSECURE_TRANSPORT = False
    response = _provider_form_posted(organisation, region, issuer=provider.issuer)
    assert response.status_code == 200
    assert "moet met https:// beginnen" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_an_unreachable_provider_gives_a_dutch_message_not_an_error(region, organisation):
    response = _provider_form_posted(organisation, region, issuer="http://127.0.0.1:9")
    assert response.status_code == 200
    assert "niet bereikbaar" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_production_refuses_http_identity_providers():
    result = run_with_settings(
        {**production_environment(), "OIDC_ALLOW_INSECURE_TRANSPORT": "true"}, "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "OIDC_ALLOW_INSECURE_TRANSPORT" in result.stderr


def test_the_id_token_lifetime_bounds_the_session(region, organisation, provider, jgz):
    _invited(organisation, "joost@jgz.example.nl")
    provider.user_add("joost", email="joost@jgz.example.nl", amr=["mfa"])
    client = Client(HTTP_HOST=host_of(region))
    _sign_in(client, provider, jgz, "joost")
    assert timezone.now().timestamp() < client.session[SESSION_EXPIRES_AT] <= timezone.now().timestamp() + 601


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "http://127.0.0.1:1", "aud": "verwijsindex-jgz", "sub": "x"},
        {"iss": "ISSUER", "aud": "verwijsindex-vt", "sub": "x"},
        {"iss": "ISSUER", "aud": ["verwijsindex-vt", "other"], "sub": "x"},
        {"iss": "ISSUER", "aud": "verwijsindex-jgz", "sub": ""},
    ],
    ids=["other issuer", "other client", "other clients", "no subject"],
)
def test_an_id_token_from_another_issuer_or_for_another_client_is_refused(jgz, provider, claims):
    from django.core.exceptions import SuspiciousOperation

    from accounts.oidc import claims_check

    claims = {**claims, "iss": claims["iss"].replace("ISSUER", provider.issuer)}
    with pytest.raises(SuspiciousOperation):
        claims_check(claims, provider=jgz)
    claims_check({"iss": provider.issuer, "aud": ["verwijsindex-jgz"], "sub": "x"}, provider=jgz)


def test_the_login_page_offers_the_organisation_in_english_too(region, jgz):
    page = Client(HTTP_HOST=host_of(region), HTTP_ACCEPT_LANGUAGE="en").get(reverse("accounts:login"))
    assert f"Sign in with {jgz.organisation.name}" in page.content.decode()

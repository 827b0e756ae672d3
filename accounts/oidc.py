"""Sign-in through an organisation's own OpenID Connect provider: mozilla-django-oidc, configured per provider.

mozilla-django-oidc reads one provider from settings; here each organisation has its own (IdentityProvider), so
its request view and backend are subclassed to read the provider chosen for this sign-in (docs/adr/0004).
The provider only proves who someone is: services.external_identity_sign_in decides whether that is an account.
"""

import logging
import time
from urllib.parse import urlencode, urlparse

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from persons.bsn import key_ring

from .exceptions import SignInRefused
from .models import IdentityProvider, Invitation
from .services import external_identity_sign_in
from .tokens import client_secret_encrypt  # noqa: F401 - its old home; new code imports accounts.tokens

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "oidc_provider_id"
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key, not a secret
SESSION_REFRESH_TOKEN = "oidc_refresh_token"  # noqa: S105
SESSION_EXPIRES_AT = "oidc_expires_at"
SESSION_SUBJECT = "oidc_subject"
SESSION_LOGOUT_ORIGIN = "oidc_logout_origin"
SESSION_INVITATION = "oidc_invitation_id"
_DISCOVERY_SECONDS = 600


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense (the message is shown to the visitor)."""


def insecure_transport_refused(url: str) -> bool:
    """An http URL outside the dev and test profiles: tokens would cross the network in the clear."""
    return urlparse(url).scheme != "https" and not settings.OIDC_ALLOW_INSECURE_TRANSPORT


def provider_client_secret(provider: IdentityProvider) -> str:
    """The client secret: from the environment (OIDC_CLIENT_SECRETS) if there, else the stored encrypted one."""
    if provider.client_id in settings.OIDC_CLIENT_SECRETS:
        return settings.OIDC_CLIENT_SECRETS[provider.client_id]
    if provider.client_secret_encrypted:
        return key_ring().decrypt(provider.client_secret_encrypted.encode()).decode()
    return ""


def provider_discovery(issuer: str) -> dict:
    """The provider's metadata (/.well-known/openid-configuration), kept for ten minutes."""
    issuer = issuer.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    metadata = cache.get(key)
    if metadata is not None:
        return metadata
    if insecure_transport_refused(issuer):
        raise ProviderUnavailable(_("Het adres van de inlogdienst moet met https:// beginnen."))
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OIDC discovery failed for %s: %s", issuer, type(error).__name__)
        raise ProviderUnavailable(
            _("De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later.")
        ) from None
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(_("De inlogdienst noemt een ander issuer-adres dan is ingesteld."))
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not metadata.get(name) or insecure_transport_refused(metadata[name]):
            raise ProviderUnavailable(_("De inlogdienst geeft geen bruikbaar adres voor %(name)s.") % {"name": name})
    cache.set(key, metadata, _DISCOVERY_SECONDS)
    return metadata


def provider_settings(provider: IdentityProvider) -> dict:
    """The mozilla-django-oidc settings for one provider, from its discovery document and its configuration."""
    metadata = provider_discovery(provider.issuer)
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": metadata["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": metadata["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": metadata.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": metadata["jwks_uri"],
        "OIDC_OP_END_SESSION_ENDPOINT": metadata.get("end_session_endpoint"),
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider_client_secret(provider),
        "OIDC_RP_SIGN_ALGO": "RS256" if "RS256" in algorithms else algorithms[0],
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
        "OIDC_VERIFY_SSL": True,
        "OIDC_STORE_ID_TOKEN": True,
    }


class _PerProvider:
    """mozilla-django-oidc reads its settings through get_settings: answer from the chosen provider first."""

    oidc_settings: dict = {}

    def get_settings(self, attr, *args):
        if attr in self.oidc_settings:
            return self.oidc_settings[attr]
        return import_from_settings(attr, *args)


class OrganisationAuthenticationRequestView(_PerProvider, OIDCAuthenticationRequestView):
    """Sends the visitor to the provider with state, nonce and PKCE kept in the session (the library's view)."""

    http_method_names = ["get", "post"]

    def __init__(self, *, provider: IdentityProvider, login_hint: str = "", **kwargs):
        self.provider = provider
        self.login_hint = login_hint
        self.oidc_settings = provider_settings(provider)
        super().__init__(**kwargs)

    def get(self, request, *, invitation=None):
        request.session[SESSION_PROVIDER] = self.provider.pk
        request.session[SESSION_INVITATION] = invitation.pk if invitation is not None else None
        return super().get(request)

    post = get

    def get_extra_params(self, request):
        return {"login_hint": self.login_hint} if self.login_hint else {}


class OrganisationOIDCBackend(_PerProvider, OIDCAuthenticationBackend):
    """The library's code exchange and ID token checks (signature by the provider's keys, nonce, PKCE), plus the
    checks it leaves out (issuer, audience), for the provider chosen in this session. Called by the callback view
    directly, not through django.contrib.auth.authenticate: it is not a password backend and must not meet axes.
    """

    def __init__(self, provider: IdentityProvider):
        self.provider = provider
        self.oidc_settings = provider_settings(provider)
        super().__init__()
        self.id_token_claims: dict = {}
        self.token_info: dict = {}

    def get_token(self, payload):
        self.token_info = super().get_token(payload)
        return self.token_info

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a signed userinfo answer has no nonce to check)
            claims_check(payload, provider=self.provider)
            self.id_token_claims = payload
        return payload

    def store_tokens(self, access_token, id_token):
        session = self.request.session
        session[SESSION_ID_TOKEN] = id_token
        session[SESSION_REFRESH_TOKEN] = self.token_info.get("refresh_token", "")
        session[SESSION_EXPIRES_AT] = session_expiry(self.token_info, self.id_token_claims)
        session[SESSION_SUBJECT] = self.id_token_claims.get("sub", "")
        end_session = urlparse(self.oidc_settings.get("OIDC_OP_END_SESSION_ENDPOINT") or "")
        session[SESSION_LOGOUT_ORIGIN] = f"{end_session.scheme}://{end_session.netloc}" if end_session.netloc else ""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about someone else")
            claims.update(userinfo)
        invitation = Invitation.objects.filter(pk=self.request.session.get(SESSION_INVITATION)).first()
        return external_identity_sign_in(
            provider=self.provider,
            subject=str(payload["sub"]),
            email=str(claims.get("email") or ""),
            email_verified=claims.get("email_verified"),
            invitation=invitation,
        )

    def sign_in(self, request, *, nonce: str, code_verifier: str | None):
        """The user the provider's answer on this callback stands for; raises SignInRefused or ProviderUnavailable."""
        try:
            user = self.authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SignInRefused:
            raise
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as error:
            logger.warning("OIDC sign-in failed at provider %s: %s", self.provider.pk, type(error).__name__)
            raise ProviderUnavailable(
                _(
                    "Uw organisatie kon uw inloggen niet bevestigen. "
                    "Probeer het opnieuw of neem contact op met uw ICT-afdeling."
                )
            ) from None
        if user is None:
            raise ProviderUnavailable(_("Uw organisatie gaf geen inloggegevens terug. Probeer het opnieuw."))
        return user


def claims_check(claims: dict, *, provider: IdentityProvider) -> None:
    """What mozilla-django-oidc leaves out: the token is from this issuer, for this client, and has a subject."""
    if str(claims.get("iss", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise SuspiciousOperation("ID token from another issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise SuspiciousOperation("ID token for another client")
    if not claims.get("sub"):
        raise SuspiciousOperation("ID token without subject")


def session_expiry(token_info: dict, id_token_claims: dict) -> int:
    """When this system's session must be renewed at the provider: the access token's end, else the ID token's."""
    if token_info.get("expires_in"):
        return int(time.time()) + int(token_info["expires_in"])
    return int(id_token_claims.get("exp") or time.time())


def two_factors_proved(claims: dict, *, provider: IdentityProvider) -> bool:
    """Whether the ID token says the provider itself asked for two factors (its amr or acr, as configured)."""
    amr = claims.get("amr") or []
    amr = {str(value).lower() for value in (amr if isinstance(amr, list) else [amr])}
    if amr & provider.amr_values:
        return True
    return bool(claims.get("acr")) and str(claims["acr"]).lower() in provider.acr_values


def session_renew(request) -> bool:
    """Renew a provider session that has reached its end with the refresh token; False when the provider refuses.

    A provider refuses when the session ended there or the person was disabled: this system's session ends too.
    """
    session = request.session
    provider = IdentityProvider.objects.filter(pk=session.get(SESSION_PROVIDER), active=True).first()
    refresh_token = session.get(SESSION_REFRESH_TOKEN)
    if provider is None or not refresh_token:
        return False
    try:
        backend = OrganisationOIDCBackend(provider)
        backend.request = request
        token_info = backend.get_token(
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": provider.client_id,
                "client_secret": backend.OIDC_RP_CLIENT_SECRET,
            }
        )
        claims = {}
        if token_info.get("id_token"):
            claims = backend.get_payload_data(
                token_info["id_token"], backend.retrieve_matching_jwk(token_info["id_token"])
            )
            claims_check(claims, provider=provider)
            if claims["sub"] != session.get(SESSION_SUBJECT):
                return False
            session[SESSION_ID_TOKEN] = token_info["id_token"]
    except (ProviderUnavailable, requests.RequestException, SuspiciousOperation, jwt.PyJWTError, ValueError) as error:
        logger.info("OIDC session renewal refused at provider %s: %s", provider.pk, type(error).__name__)
        return False
    session[SESSION_REFRESH_TOKEN] = token_info.get("refresh_token", refresh_token)
    session[SESSION_EXPIRES_AT] = session_expiry(token_info, claims)
    return True


def provider_logout_url(request, *, return_to: str) -> str | None:
    """The provider's end_session_endpoint for this session's sign-in, where it offers one."""
    session = request.session
    provider = IdentityProvider.objects.filter(pk=session.get(SESSION_PROVIDER)).first()
    if provider is None:
        return None
    try:
        endpoint = provider_discovery(provider.issuer).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": return_to}
    if session.get(SESSION_ID_TOKEN):
        query["id_token_hint"] = session[SESSION_ID_TOKEN]
    return f"{endpoint}?{urlencode(query)}"

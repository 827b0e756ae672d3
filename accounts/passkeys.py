"""Passkeys (WebAuthn) as a second factor beside the authenticator app, through django-otp-webauthn.

The library's ceremony views are mounted as they are, marked as steps of the login (a logged-in user whose
second factor is not verified yet may use them); passwordless login is off. Each region host is its own
relying party, so a passkey works on the host it was made on.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from .middleware import otp_not_required


def relying_party_id(request) -> str:
    """The host name the request came in on: a region host (the tenancy middleware refused any other)."""
    return request.get_host().split(":")[0]


def relying_party_name(request) -> str:
    region = getattr(request, "region", None)
    return region.name if region is not None else "Verwijsindex"


class RegionWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


# the names the library's scripts and template tags reverse (namespace otp_webauthn)
urlpatterns = [
    path(
        "registratie/begin/",
        otp_not_required(BeginCredentialRegistrationView.as_view()),
        name="credential-registration-begin",
    ),
    path(
        "registratie/klaar/",
        otp_not_required(CompleteCredentialRegistrationView.as_view()),
        name="credential-registration-complete",
    ),
    path(
        "inloggen/begin/",
        otp_not_required(BeginCredentialAuthenticationView.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "inloggen/klaar/",
        otp_not_required(CompleteCredentialAuthenticationView.as_view()),
        name="credential-authentication-complete",
    ),
    path(
        "vertalingen.js",
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]

"""Passkeys (WebAuthn) as a second factor beside the authenticator app, through django-otp-webauthn.

The library's ceremony views are mounted as they are, marked as steps of the login (a logged-in user whose
second factor is not verified yet may use them); passwordless login is off. Each region host is its own
relying party, so a passkey works on the host it was made on.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from .middleware import otp_not_required
from .selectors import second_factor_enrolment_open


def relying_party_id(request) -> str:
    """The host name the request came in on: a region host (the tenancy middleware refused any other)."""
    return request.get_host().split(":")[0]


def relying_party_name(request) -> str:
    region = getattr(request, "region", None)
    return region.name if region is not None else "Verwijsindex"


class RegionWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class EnrolmentClosed(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "enrolment_closed"
    default_detail = _("Stel uw tweede stap in via de link in de e-mail die u kreeg.")


class _ReadableBody:
    """A body that is not JSON in any encoding is a malformed request (400), not a server error: the library
    catches only JSONDecodeError, while json.loads also raises UnicodeDecodeError on bytes it takes for UTF-16/32."""

    def _parse_request_data(self, request):
        try:
            return super()._parse_request_data(request)
        except (UnicodeDecodeError, ValueError) as error:
            raise exceptions.MalformedRequest() from error


class _EnrolmentRule:
    """A session without a verified second factor may add a passkey only where the enrolment page would let it
    add an app; the library itself already refuses anyone who has a second factor and did not use it."""

    def check_can_register(self):
        if not self.request.user.is_verified() and not second_factor_enrolment_open(user=self.request.user):
            raise EnrolmentClosed()


class RegistrationBegin(_ReadableBody, _EnrolmentRule, BeginCredentialRegistrationView):
    pass


class RegistrationComplete(_ReadableBody, _EnrolmentRule, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if not was_verified:
            # verified now: a session key seen before the second step must be worth nothing
            self.request.session.cycle_key()
        return response


class AuthenticationBegin(_ReadableBody, BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(_ReadableBody, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        self.request.session.cycle_key()


# the names the library's scripts and template tags reverse (namespace otp_webauthn)
urlpatterns = [
    path(
        "registratie/begin/",
        otp_not_required(RegistrationBegin.as_view()),
        name="credential-registration-begin",
    ),
    path(
        "registratie/klaar/",
        otp_not_required(RegistrationComplete.as_view()),
        name="credential-registration-complete",
    ),
    path(
        "inloggen/begin/",
        otp_not_required(AuthenticationBegin.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "inloggen/klaar/",
        otp_not_required(AuthenticationComplete.as_view()),
        name="credential-authentication-complete",
    ),
    path(
        "vertalingen.js",
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]

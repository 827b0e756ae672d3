"""Pages of signing in through the organisation's own provider, and of configuring that provider."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from core.form_pages import form_action, form_data

from .forms import IdentityProviderForm
from .models import IdentityProvider, Role
from .oidc import (
    SESSION_EXPIRES_AT,
    SESSION_ID_TOKEN,
    SESSION_INVITATION,
    SESSION_LOGOUT_ORIGIN,
    SESSION_PROVIDER,
    SESSION_REFRESH_TOKEN,
    SESSION_SUBJECT,
    OrganisationAuthenticationRequestView,
    OrganisationOIDCBackend,
    ProviderUnavailable,
    SignInRefused,
    two_factors_proved,
)
from .permissions import role_required
from .selectors import invitation_by_token
from .services import identity_provider_device, identity_provider_save

_SESSION_KEYS = (
    SESSION_PROVIDER,
    SESSION_ID_TOKEN,
    SESSION_REFRESH_TOKEN,
    SESSION_EXPIRES_AT,
    SESSION_SUBJECT,
    SESSION_LOGOUT_ORIGIN,
    SESSION_INVITATION,
)


def _provider_here(request, provider_id) -> IdentityProvider:
    provider = (
        IdentityProvider.objects.select_related("organisation")
        .filter(pk=provider_id, active=True, organisation__active=True, organisation__region=request.region)
        .first()
    )
    if provider is None:
        raise Http404
    return provider


@login_not_required
def oidc_start(request, provider_id: int):
    """'Inloggen met <organisatie>': off to the organisation's provider (state, nonce and PKCE in the session)."""
    provider = _provider_here(request, provider_id)
    try:
        view = OrganisationAuthenticationRequestView(provider=provider, login_hint=request.GET.get("login_hint", ""))
    except ProviderUnavailable as error:
        messages.error(request, str(error))
        return redirect("accounts:login")
    view.setup(request)
    # followed from the invitation e-mail: the first sign-in links to the invited account whatever e-mail
    # address the provider gives
    invitation = invitation_by_token(token=request.GET.get("uitnodiging", ""), region=request.region)
    if invitation is not None and getattr(invitation.membership, "organisation_id", None) != provider.organisation_id:
        invitation = None
    return view.get(request, invitation=invitation)


def _refused(request, message: str):
    for key in _SESSION_KEYS:
        request.session.pop(key, None)
    messages.error(request, message)
    return redirect("accounts:login")


@login_not_required
@require_GET
def oidc_callback(request):
    """The provider sends the visitor back here: link or find the account, then ask for a second factor if needed."""
    provider_id = request.session.get(SESSION_PROVIDER)
    if request.GET.get("error"):
        return _refused(request, _("Uw organisatie heeft het inloggen geweigerd of afgebroken. U bent niet ingelogd."))
    states = request.session.get("oidc_states") or {}
    entry = states.pop(request.GET.get("state", ""), None)
    if entry is None or provider_id is None or not request.GET.get("code"):
        return _refused(
            request, _("Deze inlogpoging is verlopen of niet van deze browser. Probeer opnieuw in te loggen.")
        )
    request.session["oidc_states"] = states
    try:
        provider = _provider_here(request, provider_id)
        backend = OrganisationOIDCBackend(provider)
        user = backend.sign_in(request, nonce=entry["nonce"], code_verifier=entry.get("code_verifier"))
    except Http404:
        return _refused(request, _("Inloggen via deze organisatie kan hier niet (meer)."))
    except (SignInRefused, ProviderUnavailable) as error:
        return _refused(request, str(error))
    kept = {key: request.session[key] for key in _SESSION_KEYS if key in request.session}
    next_url = request.session.get("oidc_login_next")
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.update(kept)
    if two_factors_proved(backend.id_token_claims, provider=provider):
        otp_login(request, identity_provider_device(user=user, provider=provider))
    return redirect(next_url or "home")


def _organisation_managed(request, organisation_id: int):
    """The organisation if the acting coordinator (of it) or process manager (of its region) manages it; else 404."""
    if request.region is None:
        raise Http404
    organisation = get_object_or_404(request.region.organisations, pk=organisation_id)
    for membership in request.memberships:
        if membership.role == Role.ORGANISATION_COORDINATOR and membership.organisation_id == organisation.pk:
            return organisation
        if membership.role == Role.PROCESS_MANAGER and membership.region_id == organisation.region_id:
            return organisation
    raise Http404


@role_required(Role.ORGANISATION_COORDINATOR, Role.PROCESS_MANAGER)
def identity_provider_edit(request, organisation_id: int):
    """The organisation's own provider: issuer, client, scopes, whether its people may or must use it, amr/acr."""
    organisation = _organisation_managed(request, organisation_id)
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    form = IdentityProviderForm(
        form_data(request),
        instance=provider,
        has_secret=bool(provider and provider.client_secret_encrypted),
    )

    def save(data):
        identity_provider_save(
            organisation=organisation,
            actor=request.user,
            data={name: value for name, value in data.items() if name != "client_secret"},
            client_secret=data["client_secret"],
        )

    return form_action(
        request,
        form,
        action=save,
        done=_("De inlogdienst van %(organisation)s is opgeslagen.") % {"organisation": organisation},
        then=lambda _result: redirect("accounts:identity_provider", organisation_id=organisation.pk),
        template="accounts/identity_provider.html",
        context={
            "title": _("Inloggen via de organisatie"),
            "organisation": organisation,
            "redirect_uri": request.build_absolute_uri(reverse("accounts:oidc_callback")),
            "logout_uri": request.build_absolute_uri(reverse("accounts:login")),
        },
    )

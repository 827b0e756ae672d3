"""Login with two factors (django-otp), invitations, password reset, two-factor reset and logout."""

from base64 import b32encode

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.form_pages import form_data
from core.links import region_url

from .forms import EnrolForm, InvitationConfirmForm, LoginForm, RegionPasswordResetForm, TokenForm
from .middleware import otp_not_required
from .models import Role, User
from .oidc import provider_logout_url
from .permissions import role_required
from .selectors import (
    has_second_factor,
    identity_provider_of,
    identity_provider_required_for,
    identity_providers_in_region,
    invitation_by_token,
    users_manageable_by,
)
from .services import (
    InvitationInvalid,
    enrolment_link_use,
    invitation_accept,
    two_factor_confirm,
    two_factor_dev_shortcut,
    two_factor_reset,
)

# who may reset someone else's two-factor login (each within their own scope, see users_manageable_by)
TWO_FACTOR_RESETTERS = (Role.ORGANISATION_COORDINATOR, Role.PROCESS_MANAGER)


@login_not_required
def login(request):
    if request.method == "POST":
        # an organisation that makes its people sign in through its own provider: off there, no password here
        provider = identity_provider_required_for(email=request.POST.get("username", ""), region=request.region)
        if provider is not None:
            query = urlencode({"login_hint": request.POST["username"]})
            return redirect(f"{reverse('accounts:oidc_start', args=[provider.pk])}?{query}")
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        extra_context={
            "title": _("Inloggen"),
            "identity_providers": identity_providers_in_region(region=request.region),
        },
    )(request)


def _dev_shortcut_offered(user) -> bool:
    return bool(settings.DEV_TWO_FACTOR_SHORTCUT and user.is_authenticated and user.is_demo)


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def _second_factor_login(request, device) -> None:
    """Mark the session verified and give it a new key: a key seen before the second step is worth nothing."""
    otp_login(request, device)
    request.session.cycle_key()


@otp_not_required
def two_factor(request):
    """Second step of the login: a TOTP code or a backup code."""
    if request.user.is_verified():
        return redirect("home")
    if not has_second_factor(user=request.user):
        return redirect("accounts:enrol")
    form = TokenForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            _second_factor_login(request, device)
            return redirect(_safe_next(request) or "home")
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code uit uw app."))
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "title": _("Tweede stap"),
            "dev_shortcut": _dev_shortcut_offered(request.user),
            "has_passkey": WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists(),
        },
    )


@otp_not_required
@require_POST
def dev_shortcut(request):
    """Development only: log a demo account in without a code. Does not exist for anyone else."""
    if not _dev_shortcut_offered(request.user):
        raise Http404
    _second_factor_login(request, two_factor_dev_shortcut(user=request.user))
    messages.warning(request, _("U bent ingelogd met de ontwikkel-snelkoppeling, zonder tweede factor."))
    return redirect("home")


@login_not_required
@require_POST
def logout_view(request):
    # signed in through the organisation: end its session too, where its provider offers that
    provider_logout = provider_logout_url(request, return_to=request.build_absolute_uri(reverse("accounts:login")))
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect(provider_logout or "accounts:login")


@otp_not_required
def enrol(request):
    """First login: link an authenticator app by QR code, confirm with a code, receive backup codes."""
    if has_second_factor(user=request.user):
        return redirect("accounts:two_factor")
    if request.user.enrolment_link_required:
        # after a reset the password alone is not enough: the link from the e-mail must be opened first
        return render(request, "accounts/enrolment_link_sent.html", {"title": _("Controleer uw e-mail")})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator-app"), confirmed=False)
    form = EnrolForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            codes = two_factor_confirm(user=request.user, device=device)
            _second_factor_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "title": _("Uw back-upcodes")})
        form.add_error("token", _("Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat."))
    qr_svg = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": b32encode(device.bin_key).decode(),
            "title": _("Tweestapsverificatie instellen"),
            "dev_shortcut": _dev_shortcut_offered(request.user),
            "passkey_next": reverse("home"),
        },
    )


@login_not_required
def invitation_accept_view(request, token):
    """The link from the invitation e-mail: set a password, then enrol the second factor."""
    invitation = invitation_by_token(token=token, region=request.region)
    if invitation is None:
        return _invitation_invalid(
            request, _("Deze link is ongeldig. Controleer of u de hele link uit de e-mail gebruikt.")
        )
    if invitation.accepted_at is not None:
        return _invitation_invalid(
            request, _("Deze uitnodiging is al gebruikt. U kunt inloggen met het wachtwoord dat u toen koos."), 410
        )
    if invitation.is_expired:
        return _invitation_invalid(
            request,
            _("Deze uitnodiging is verlopen. Vraag degene die u uitnodigde om een nieuwe uitnodiging."),
            410,
        )
    user = invitation.user
    provider = identity_provider_of(invitation=invitation)
    if user.has_usable_password():
        return _invitation_accept_existing(request, invitation)
    form = SetPasswordForm(user, form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except InvitationInvalid as error:
            return _invitation_invalid(request, str(error), 410)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Uw wachtwoord is ingesteld. Stel nu de tweede stap van het inloggen in."))
        return redirect("accounts:enrol")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "form": form,
            "invitation": invitation,
            "invitee": user,
            "title": _("Welkom bij de verwijsindex"),
            "identity_provider": provider,
            "token": token,
        },
    )


def _invitation_accept_existing(request, invitation):
    """Someone with an account got a new role: it becomes active only when they prove it is them.

    Password and second factor on this page (their account may have no role in this region, so they cannot log
    in here first). An inviter who does not hold both gains nothing: the role stays pending (issue #16, 4).
    """
    user = invitation.user
    form = InvitationConfirmForm(form_data(request), needs_token=has_second_factor(user=user))
    if request.method == "POST" and form.is_valid():
        proven = authenticate(request, username=user.email, password=form.cleaned_data["password"])
        token = form.cleaned_data.get("token", "").replace(" ", "")
        if proven is None or proven.pk != user.pk or (form.needs_token and match_token(user, token) is None):
            form.add_error(None, _("Het wachtwoord of de code klopt niet."))
        else:
            try:
                invitation_accept(invitation=invitation, password=None)
            except InvitationInvalid as error:
                return _invitation_invalid(request, str(error), 410)
            messages.success(request, _("Uw nieuwe rol is actief. Log in met uw bestaande wachtwoord."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/invitation_confirm.html",
        {"form": form, "invitation": invitation, "title": _("Nieuwe rol aanvaarden")},
    )


@otp_not_required
def enrolment_link(request, token):
    """The one-time link e-mailed after a second-factor reset: opened by its own user, it allows enrolment."""
    link = invitation_by_token(token=token, region=request.region)
    if link is None or link.user_id != request.user.pk or link.membership_id is not None:
        return _invitation_invalid(request, _("Deze link is ongeldig of niet voor u bedoeld."))
    try:
        enrolment_link_use(link=link, user=request.user)
    except InvitationInvalid as error:
        return _invitation_invalid(request, str(error), 410)
    return redirect("accounts:enrol")


def _invitation_invalid(request, reason: str, status: int = 404):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason, "title": _("Uitnodiging niet bruikbaar")},
        status=status,
    )


class _PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = RegionPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": gettext_lazy("Wachtwoord vergeten")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "region": self.request.region}

    def form_valid(self, form):
        # links point at the region's configured host, not whatever Host header came in
        self.extra_email_context = {"link_base": region_url(self.request.region, "")}
        return super().form_valid(form)


class _PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("Nieuw wachtwoord kiezen")}

    def form_valid(self, form):
        response = super().form_valid(form)
        # whoever proved access to the mailbox may log in again at once
        axes_reset(username=form.user.email)
        return response


password_reset = login_not_required(_PasswordResetView.as_view())
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
        extra_context={"title": gettext_lazy("Controleer uw e-mail")},
    )
)
password_reset_confirm = login_not_required(_PasswordResetConfirmView.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
        extra_context={"title": gettext_lazy("Wachtwoord gewijzigd")},
    )
)


def _manageable_user(request, user_id: int) -> User:
    """The user if one of the acting user's roles here may manage them; 404 otherwise (no leak)."""
    for membership in request.memberships:
        if membership.role in TWO_FACTOR_RESETTERS:
            user = users_manageable_by(membership=membership).filter(pk=user_id).first()
            if user is not None:
                return user
    raise Http404


@role_required(*TWO_FACTOR_RESETTERS)
def user_list(request):
    """The people whose two-factor login the acting coordinator or process manager may reset."""
    users = {}
    for membership in request.memberships:
        if membership.role in TWO_FACTOR_RESETTERS:
            for user in users_manageable_by(membership=membership).prefetch_related("memberships"):
                users.setdefault(user.pk, user)
    return render(
        request,
        "accounts/user_list.html",
        {"users": sorted(users.values(), key=lambda u: (u.full_name, u.email)), "title": _("Gebruikers")},
    )


@role_required(*TWO_FACTOR_RESETTERS)
def two_factor_reset_view(request, user_id: int):
    """Confirm, then remove someone's second factor so that they enrol again at their next login."""
    target = _manageable_user(request, user_id)
    if request.method == "POST":
        two_factor_reset(user=target, actor=request.user, region=request.region)
        messages.success(
            request,
            _(
                "De tweestapsverificatie van %(name)s is hersteld. "
                "Bij de volgende keer inloggen stelt die het opnieuw in."
            )
            % {"name": target.full_name or target.email},
        )
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/two_factor_reset_confirm.html",
        {"target": target, "title": _("Tweestapsverificatie herstellen")},
    )

"""Login with two factors (django-otp) and logout."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, TokenForm
from .middleware import otp_not_required
from .services import two_factor_confirm


@login_not_required
def login(request):
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        extra_context={"title": _("Inloggen")},
    )(request)


@otp_not_required
def two_factor(request):
    """Second step of the login: a TOTP code or a backup code."""
    if request.user.is_verified():
        return redirect("home")
    if not any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "home")
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code uit uw app."))
    return render(request, "accounts/two_factor.html", {"form": form, "title": _("Tweede stap")})


@login_not_required
@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@otp_not_required
def enrol(request):
    """First login: link an authenticator app by QR code, confirm with a code, receive backup codes."""
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:two_factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator-app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            codes = two_factor_confirm(user=request.user, device=device)
            otp_login(request, device)
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
        },
    )

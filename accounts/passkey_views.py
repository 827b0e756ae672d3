"""The user's own passkeys: list, add (django-otp-webauthn's script) and remove."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp_webauthn.models import WebAuthnCredential

from .services import PasskeyRemovalRefused, passkey_remove


def passkey_list(request):
    passkeys = WebAuthnCredential.objects.filter(user=request.user).order_by("created_at")
    return render(
        request,
        "accounts/passkeys.html",
        {"passkeys": passkeys, "passkey_next": request.path, "title": _("Passkeys")},
    )


@require_POST
def passkey_remove_view(request, passkey_id: int):
    if not WebAuthnCredential.objects.filter(pk=passkey_id, user=request.user).exists():
        raise Http404
    try:
        passkey_remove(user=request.user, passkey_id=passkey_id, request=request)
    except PasskeyRemovalRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("De passkey is verwijderd."))
    return redirect("accounts:passkeys")

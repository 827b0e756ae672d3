"""Login and two-factor forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": _(
            "Het e-mailadres of wachtwoord klopt niet. Let op: na 5 pogingen wordt uw account een half uur geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de coördinator van uw organisatie."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app of een back-upcode"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

"""Login, two-factor, invitation and password reset forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Role


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
        error_messages={"required": _("Vul de code uit uw app of een back-upcode in.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolForm(TokenForm):
    """Linking the app: the user has no backup codes yet, so the field does not mention them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Code uit uw authenticator-app")
        self.fields["token"].help_text = _("Zes cijfers; de app toont elke 30 seconden een nieuwe code.")
        self.fields["token"].error_messages["required"] = _("Vul de code in die uw app nu toont.")


class RegionPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending only to people with a role in the region whose host was used.

    Like Django's, it says the same whatever was typed: it never reveals whether an address exists.
    """

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, region=None, **kwargs):
        self.region = region
        super().__init__(*args, **kwargs)

    def get_users(self, email):
        if self.region is None:
            return []
        region_id = self.region.pk
        return [
            user
            for user in super().get_users(email)
            if user.memberships.filter(active=True)
            .filter(
                Q(organisation__region_id=region_id)
                | Q(region_id=region_id)
                | Q(municipality__region_id=region_id)
                | Q(role=Role.SYSTEM_ADMINISTRATOR)
            )
            .exists()
        ]

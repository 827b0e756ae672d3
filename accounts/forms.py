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

    def confirm_login_allowed(self, user):
        from .selectors import identity_provider_required_for_user

        super().confirm_login_allowed(user)
        provider = identity_provider_required_for_user(user=user)
        if provider is not None:
            raise forms.ValidationError(
                _(
                    "Uw organisatie laat u alleen inloggen met het account van de organisatie. "
                    "Kies 'Inloggen met %(organisation)s'."
                )
                % {"organisation": provider.organisation},
                code="identity_provider_required",
            )


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


class InvitationConfirmForm(forms.Form):
    """An existing account accepts a new role with its password and (if enrolled) a code of its second factor."""

    password = forms.CharField(label=_("Uw wachtwoord"), strip=False, widget=forms.PasswordInput)
    token = forms.CharField(
        label=_("Code uit uw authenticator-app (of een back-upcode)"), max_length=16, required=False
    )

    def __init__(self, *args, needs_token: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_token = needs_token
        if needs_token:
            self.fields["token"].required = True
        else:
            del self.fields["token"]


class IdentityProviderForm(forms.ModelForm):
    """The organisation's own OpenID Connect provider, as its IT department gives it (see the README)."""

    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leeg laten houdt het opgeslagen geheim. Staat het geheim in de omgeving van de server "
            "(OIDC_CLIENT_SECRETS), laat dit dan leeg."
        ),
    )

    class Meta:
        from .models import IdentityProvider

        model = IdentityProvider
        fields = ["issuer", "client_id", "scopes", "use", "email_domains", "two_factor_amr", "two_factor_acr", "active"]
        help_texts = {
            "issuer": _(
                "Het issuer-adres uit de metadata van de inlogdienst, "
                "bijvoorbeeld https://login.organisatie.nl/realms/medewerkers."
            ),
            "scopes": _("Gescheiden door spaties; openid en email zijn nodig."),
            "email_domains": _(
                "Gescheiden door komma's, bijvoorbeeld organisatie.nl. Wie moet inloggen via de organisatie "
                "en een adres op zo'n domein invult, wordt erheen gestuurd."
            ),
            "two_factor_amr": _(
                "amr-waarden in het ID-token die bewijzen dat de organisatie twee factoren vroeg, "
                "gescheiden door komma's (bijvoorbeeld mfa, otp, hwk)."
            ),
            "two_factor_acr": _(
                "acr-waarden die dat bewijzen. Bewijst het token het niet, "
                "dan vraagt de verwijsindex zelf de tweede stap."
            ),
        }
        error_messages = {
            "issuer": {
                "invalid": _("Vul een volledig adres in, beginnend met https://."),
                "required": _("Vul het issuer-adres in."),
            },
            "client_id": {"required": _("Vul de client-id in die uw ICT-afdeling gaf.")},
        }

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret

    def clean_issuer(self):
        from .oidc import insecure_transport_refused

        issuer = self.cleaned_data["issuer"].rstrip("/")
        if insecure_transport_refused(issuer):
            raise forms.ValidationError(_("Het adres van de inlogdienst moet met https:// beginnen."))
        return issuer

    def clean_scopes(self):
        scopes = " ".join(self.cleaned_data["scopes"].split())
        if "openid" not in scopes.split():
            raise forms.ValidationError(_("De scope openid is nodig."))
        return scopes

    def clean(self):
        from .oidc import ProviderUnavailable, provider_discovery

        cleaned = super().clean()
        if not self.has_secret and not cleaned.get("client_secret"):
            from django.conf import settings

            if cleaned.get("client_id") not in settings.OIDC_CLIENT_SECRETS:
                self.add_error("client_secret", _("Vul het client secret in."))
        if cleaned.get("issuer") and cleaned.get("active"):
            try:
                provider_discovery(cleaned["issuer"])
            except ProviderUnavailable as error:
                self.add_error("issuer", str(error))
        return cleaned

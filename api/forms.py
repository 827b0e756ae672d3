"""Forms of the coordinator's API client pages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .authentication import fingerprint_normalise

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de koppeling"),
        max_length=200,
        help_text=_("Bijvoorbeeld de naam van het cliëntregistratiesysteem."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    organisation = forms.TypedChoiceField(label=_("Organisatie"), coerce=int)
    certificate_fingerprint = forms.CharField(
        label=_("Vingerafdruk clientcertificaat (optioneel)"),
        required=False,
        max_length=200,
        help_text=_(
            "SHA-256-vingerafdruk van het clientcertificaat (64 hexadecimale tekens, dubbele punten mogen). "
            "Alleen invullen als de koppeling via mTLS verloopt."
        ),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in self.organisations]
        self.fields["organisation"].widget.attrs["class"] = "utrecht-select"
        if len(self.organisations) == 1:
            self.fields["organisation"].initial = self.organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_certificate_fingerprint(self):
        value = self.cleaned_data["certificate_fingerprint"].strip()
        if not value:
            return ""
        normalised = fingerprint_normalise(value)
        if not _SHA256_HEX.match(normalised):
            raise forms.ValidationError(
                _("Dit is geen SHA-256-vingerafdruk: verwacht worden 64 hexadecimale tekens (0-9, a-f).")
            )
        return normalised

    def chosen_organisation(self):
        chosen = self.cleaned_data["organisation"]
        return next((o for o in self.organisations if o.pk == chosen), None)


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in (the POST itself is the confirmation)."""

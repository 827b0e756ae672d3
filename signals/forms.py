"""Forms of the placing flow, ending a signal and the coordinator's transfers."""

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import DutchDateField
from persons.bsn import bsn_normalise
from persons.exceptions import BsnInvalid

from .models import InformingStatus
from .rules import Party


class LookupForm(forms.Form):
    """Step 1: the BSN and, against typing errors, the date of birth."""

    bsn = forms.CharField(
        label=_("Burgerservicenummer (BSN)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "class": "utrecht-textbox utrecht-textbox--html-input",
            }
        ),
    )
    birth_date = DutchDateField(
        label=_("Geboortedatum"),
        help_text=_("Ter controle op typefouten: de geboortedatum moet overeenkomen met de BRP."),
    )
    organisation = forms.TypedChoiceField(label=_("Namens organisatie"), coerce=int, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        if len(self.organisations) > 1:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in self.organisations]
            self.fields["organisation"].required = True
            self.fields["organisation"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        else:
            del self.fields["organisation"]

    def clean_bsn(self):
        try:
            return bsn_normalise(self.cleaned_data["bsn"])
        except BsnInvalid as error:
            raise forms.ValidationError(error.message) from None

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum kan niet in de toekomst liggen."))
        return value

    def chosen_organisation(self):
        if len(self.organisations) == 1:
            return self.organisations[0]
        chosen = self.cleaned_data.get("organisation")
        return next((o for o in self.organisations if o.pk == chosen), None)


class ConfirmForm(forms.Form):
    """Step 2: the professional confirms this is the youth they mean."""


class ProfileForm(forms.Form):
    weighed = forms.BooleanField(
        label=_("Ik heb het signaleringsprofiel van mijn organisatie gewogen en vind een signaal nodig."),
        error_messages={"required": _("Bevestig dat u het signaleringsprofiel heeft gewogen.")},
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )


class InformingForm(forms.Form):
    """Step 4: who was informed, when and how; or why not (yet); and any objection."""

    status = forms.ChoiceField(
        label=_("Informeren"),
        choices=InformingStatus.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        error_messages={"required": _("Kies of u heeft geïnformeerd, het uitstelt of achterwege laat.")},
    )
    whom = forms.MultipleChoiceField(
        label=_("Wie heeft u geïnformeerd?"),
        choices=list(Party.LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    on = DutchDateField(label=_("Wanneer?"), required=False)
    how = forms.CharField(
        label=_("Hoe?"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: in een gesprek, telefonisch, per brief."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}),
    )
    reason = forms.CharField(
        label=_("Reden van uitstel of niet informeren"),
        required=False,
        help_text=_("Alleen bij een zwaarwegende reden, zoals gevaar voor de jeugdige."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea utrecht-textarea--html-textarea"}),
    )
    objection_voiced = forms.BooleanField(
        label=_("Er is bezwaar gemaakt tegen het signaal"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    objection_override_reason = forms.CharField(
        label=_("Reden om het signaal toch af te geven"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea utrecht-textarea--html-textarea"}),
    )

    def informing(self) -> dict:
        return dict(self.cleaned_data)


class EndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom beëindigt u het signaal?"),
        choices=[
            ("concern_gone", _("De zorg is weggenomen (het signaal gaat 5 jaar naar het archief)")),
            ("placed_wrongly", _("Het signaal is onterecht geplaatst (het signaal wordt direct vernietigd)")),
        ],
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        error_messages={"required": _("Kies een reden.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class TransferForm(forms.Form):
    to_professional = forms.TypedChoiceField(
        label=_("Overdragen aan collega"),
        coerce=int,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"required": _("Kies een collega."), "invalid_choice": _("Kies een collega uit de lijst.")},
    )

    def __init__(self, *args, colleagues=(), required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_professional"].required = required
        self.fields["to_professional"].choices = [("", _("— kies een collega —"))] + [
            (user.pk, user.full_name or user.email) for user in colleagues
        ]


class ExtendForm(InformingForm):
    """Extending: the informing is recorded again for the new period."""

    confirmed = forms.BooleanField(
        label=_("Ik verleng dit signaal omdat de zorg er nog is"),
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
        error_messages={"required": _("Bevestig dat de zorg er nog is.")},
    )

    def informing(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "confirmed"}


class InformingUpdateForm(InformingForm):
    """Later: informed after all, or postponed again with the renewed reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (InformingStatus.INFORMED, _("Ik heb nu geïnformeerd")),
            (InformingStatus.POSTPONED, _("Ik stel het informeren opnieuw uit")),
        ]
        self.fields["reason"].label = _("Reden om het informeren opnieuw uit te stellen")
        del self.fields["objection_voiced"]
        del self.fields["objection_override_reason"]


class ContactForm(forms.Form):
    """The profile: what matched colleagues see of the professional."""

    full_name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "name"}),
        error_messages={"required": _("Vul uw naam in.")},
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres voor collega's"),
        help_text=_("Leeg: het e-mailadres waarmee u inlogt."),
        required=False,
        widget=forms.EmailInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "email"}
        ),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.")},
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "tel"}),
    )
    update_signals = forms.BooleanField(
        label=_("Pas ook de contactgegevens aan op mijn actieve signalen"),
        help_text=_(
            "Collega's met een match zien dan meteen de nieuwe gegevens. Gearchiveerde signalen houden "
            "de gegevens van toen."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_phone(self):
        return _phone_clean(self.cleaned_data["phone"])


class TeamContactForm(forms.Form):
    team_email = forms.EmailField(
        label=_("E-mailadres van het team"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld team@organisatie.nl.")},
    )
    team_phone = forms.CharField(
        label=_("Telefoonnummer van het team"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}),
    )

    def clean_team_phone(self):
        return _phone_clean(self.cleaned_data["team_phone"])


def _phone_clean(raw: str) -> str:
    """A Dutch or international phone number, written the way people read it; empty stays empty."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise forms.ValidationError(_("Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 4567."))
    region = phonenumbers.region_code_for_number(number)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if region == "NL" else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


class CoverForm(forms.Form):
    covering = forms.TypedChoiceField(
        label=_("Waarnemer (collega)"),
        coerce=int,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"required": _("Kies een collega."), "invalid_choice": _("Kies een collega uit de lijst.")},
    )
    starts_on = DutchDateField(label=_("Van"), error_messages={"required": _("Vul de eerste dag in.")})
    ends_on = DutchDateField(label=_("Tot en met"), error_messages={"required": _("Vul de laatste dag in.")})

    def __init__(self, *args, colleagues=(), absentees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covering"].choices = [("", _("— kies een collega —"))] + [
            (user.pk, user.full_name or user.email) for user in colleagues
        ]
        if absentees is not None:
            self.fields["absent"] = forms.TypedChoiceField(
                label=_("Afwezige meldingsbevoegde"),
                coerce=int,
                choices=[("", _("— kies een meldingsbevoegde —"))]
                + [(user.pk, user.full_name or user.email) for user in absentees],
                widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
                error_messages={"required": _("Kies wie afwezig is.")},
            )
            self.order_fields(["absent", "covering", "starts_on", "ends_on"])


class UnbornLookupForm(LookupForm):
    """Step 1 for an unborn child: the pregnant woman's BSN and date of birth, and the expected date of birth."""

    expected_birth_date = DutchDateField(
        label=_("Verwachte geboortedatum"),
        help_text=_("Hoogstens 4 weken geleden en hoogstens ongeveer 10 maanden vooruit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bsn"].label = _("Burgerservicenummer (BSN) van de zwangere vrouw")
        self.fields["birth_date"].label = _("Geboortedatum van de zwangere vrouw")


class ExpectedDateForm(forms.Form):
    expected_birth_date = DutchDateField(label=_("Nieuwe verwachte geboortedatum"))

"""Forms of the rights pages. Every bad input gets a Dutch message; the BSN is checked with the elfproef."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import DutchDateField
from persons.bsn import bsn_normalise
from persons.exceptions import BsnInvalid

from .models import AdviceChoice, AnswerMethod, IdentityCheckMethod, RequesterCapacity, RequestKind

# the longest explanation a professional or process manager writes; longer text is refused with a message
EXPLANATION_MAX = 2000


class RequestRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=RequestKind.choices)
    bsn = forms.CharField(
        label=_("Burgerservicenummer van de jeugdige"),
        max_length=20,
        help_text=_("Negen cijfers. Het BSN wordt alleen versleuteld bewaard."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "class": "utrecht-textbox"}),
    )
    requester_name = forms.CharField(
        label=_("Naam verzoeker"), max_length=200, widget=forms.TextInput(attrs={"class": "utrecht-textbox"})
    )
    requester_capacity = forms.ChoiceField(
        label=_("Hoedanigheid verzoeker"), choices=RequesterCapacity.choices, widget=forms.RadioSelect
    )
    co_requester_name = forms.CharField(
        label=_("Naam mede-verzoeker"),
        max_length=200,
        required=False,
        help_text=_(
            "Bij een jeugdige van 12 tot 16 jaar oefenen jeugdige en wettelijk vertegenwoordiger het recht samen uit."
        ),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    identity_checked = forms.BooleanField(
        label=_("Ik heb de identiteit van de verzoeker gecontroleerd"),
        required=True,
        error_messages={"required": _("Controleer eerst de identiteit van de verzoeker.")},
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox"}),
    )
    identity_check_method = forms.ChoiceField(
        label=_("Hoe is de identiteit gecontroleerd"), choices=IdentityCheckMethod.choices, widget=forms.RadioSelect
    )
    identity_check_note = forms.CharField(
        label=_("Toelichting identiteitscontrole"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    received_on = DutchDateField(label=_("Ontvangen op"))
    birth_date = DutchDateField(
        label=_("Geboortedatum jeugdige (van het identiteitsbewijs)"),
        required=False,
        help_text=_("Alleen nodig als de jeugdige niet in de verwijsindex staat; anders geldt de datum uit de BRP."),
    )
    description = forms.CharField(
        label=_("Omschrijving van het verzoek"),
        required=False,
        max_length=EXPLANATION_MAX,
        error_messages={
            "max_length": _(
                "De omschrijving is te lang: gebruik hoogstens 2.000 tekens (het zijn er nu %(show_value)s)."
            )
        },
        help_text=_("De gronden van de verzoeker; de professional ziet ze bij de adviesvraag."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
    )

    def clean_bsn(self):
        try:
            return bsn_normalise(self.cleaned_data["bsn"])
        except BsnInvalid as exc:
            raise forms.ValidationError(str(exc.message)) from None

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("De datum van ontvangst kan niet in de toekomst liggen."))
        return received_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identity_check_method") == IdentityCheckMethod.OTHER and not cleaned.get("identity_check_note"):
            self.add_error("identity_check_note", _("Beschrijf hoe de identiteit is gecontroleerd."))
        return cleaned


class AdviceRequestForm(forms.Form):
    signals = forms.MultipleChoiceField(
        label=_("Signalen waarover het verzoek gaat"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één signaal waarover het verzoek gaat.")},
    )

    def __init__(self, *args, signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = [
            (str(s.pk), f"{s.reference} — {s.organisation.name} ({s.get_status_display()})") for s in signals
        ]
        self.fields["signals"].initial = [str(s.pk) for s in signals]


class DecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("upheld", _("Toekennen: de signalen worden vernietigd")), ("rejected", _("Afwijzen"))],
        coerce=lambda value: value == "upheld",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of u het verzoek toekent of afwijst.")},
    )
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "class": "utrecht-textarea"}),
        error_messages={
            "required": _("Schrijf op waarom u zo besluit."),
            "max_length": _(
                "De motivering is te lang: gebruik hoogstens 2.000 tekens (het zijn er nu %(show_value)s)."
            ),
        },
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat dit besluit niet ongedaan kan worden gemaakt"),
        error_messages={
            "required": _("Bevestig dat u dit besluit wilt vastleggen; het kan niet ongedaan worden gemaakt.")
        },
    )


class AdviceForm(forms.Form):
    advice = forms.ChoiceField(
        label=_("Uw advies"),
        choices=AdviceChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies uw advies.")},
    )
    advice_text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=EXPLANATION_MAX,
        error_messages={
            "max_length": _(
                "De toelichting is te lang: gebruik hoogstens 2.000 tekens (het zijn er nu %(show_value)s)."
            )
        },
        help_text=_("Schrijf hier niets over de inhoud van de zorg; alleen waarom het signaal wel of niet terecht is."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
    )


class AnswerForm(forms.Form):
    """The last step of a request: how and when the citizen was answered. Closing cannot be undone."""

    answered_on = DutchDateField(label=_("Geantwoord op"))
    answered_how = forms.ChoiceField(
        label=_("Hoe is de burger geantwoord?"),
        choices=AnswerMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de burger is geantwoord.")},
    )
    answered_note = forms.CharField(label=_("Toelichting (optioneel)"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat het verzoek hiermee wordt afgesloten; dit kan niet ongedaan worden gemaakt"),
        error_messages={"required": _("Bevestig dat u het verzoek wilt afsluiten.")},
    )

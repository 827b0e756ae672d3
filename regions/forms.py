"""Forms of the region's governance screens; every error is a Dutch sentence that says what to do."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.dates import DutchDateField

from . import legal
from .models import InstitutionalAddress, Municipality, Organisation, Region, Sector, Subtype
from .parameters import REGION_SETTINGS
from .services import POSTCODE

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}

# fonts a region may choose: each is either installed with the project or a safe system fallback stack
FONT_CHOICES = [
    ('"Rijksoverheid Sans", Verdana, Arial, sans-serif', "Rijksoverheid Sans / Verdana"),
    ('"Source Sans 3", Arial, sans-serif', "Source Sans 3"),
    ("Verdana, Arial, sans-serif", "Verdana"),
    ("Arial, Helvetica, sans-serif", "Arial"),
    ('"Open Sans", Arial, sans-serif', "Open Sans"),
    ("Georgia, 'Times New Roman', serif", "Georgia"),
]


_WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.ClearableFileInput: "utrecht-file-input",
    forms.FileInput: "utrecht-file-input",
}


class NldsFormMixin:
    """NL Design System classes on every widget, and the help text linked for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for t, c in _WIDGET_CLASSES.items() if isinstance(widget, t)), None)
            widget.attrs.setdefault("class", css or "utrecht-textbox utrecht-textbox--html-input")
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_help")
            if field.required and not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("aria-required", "true")


class OrganisationForm(NldsFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "code", "sector", "subtype", "convenant_date", "email", "phone"]
        field_classes = {"convenant_date": DutchDateField}
        help_texts = {
            "code": _(
                "Korte unieke code, alleen kleine letters, cijfers en streepjes, bijvoorbeeld veilig-thuis-utrecht."
            ),
            "convenant_date": _("Vanaf deze datum mogen meldingsbevoegden van de organisatie signalen afgeven."),
        }
        error_messages = {
            "code": {"invalid": _("Gebruik alleen kleine letters, cijfers, streepjes en liggende streepjes.")},
        }

    def validate_unique(self):
        # uniqueness is checked by the service, which names the field in Dutch
        pass


class OrganisationDeactivateForm(NldsFormMixin, forms.Form):
    end_active_signals = forms.BooleanField(
        label=_("Beëindig de actieve signalen die nog over zijn (ze gaan naar het archief)"), required=False
    )
    confirm = forms.BooleanField(
        label=_("Ik weet dat de mensen van deze organisatie daarna niet meer kunnen inloggen in deze verwijsindex"),
        error_messages={"required": _("Bevestig dat u de organisatie wilt deactiveren.")},
    )


class InviteForm(NldsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")},
    )


class MunicipalityForm(NldsFormMixin, forms.ModelForm):
    cbs_code = forms.CharField(
        label=_("CBS-code"),
        help_text=_("De gemeentecode van het CBS, vier cijfers, bijvoorbeeld 0344 voor Utrecht."),
        validators=[RegexValidator(r"^\d{4}$", _("Een CBS-code bestaat uit precies vier cijfers, bijvoorbeeld 0344."))],
    )

    class Meta:
        model = Municipality
        fields = ["cbs_code", "name"]

    def validate_unique(self):
        pass


class HttpsURLField(forms.URLField):
    """A web address; typed without a scheme, it is taken as https."""

    def __init__(self, **kwargs):
        kwargs["assume_scheme"] = "https"
        super().__init__(**kwargs)


class MunicipalityNameForm(NldsFormMixin, forms.ModelForm):
    """The name and where citizens ask about their data (shown on the region's public page)."""

    class Meta:
        model = Municipality
        fields = ["name", "contact_email", "contact_phone", "contact_url"]
        field_classes = {"contact_url": HttpsURLField}
        help_texts = {
            "contact_url": _("Een pagina van de gemeente over het aanvragen van inzage, correctie of verwijdering."),
            "contact_email": _("Staat op de openbare pagina: hier vragen ouders en jongeren om inzage of correctie."),
            "contact_phone": _("Bijvoorbeeld 14 030 of 030 286 00 00."),
        }


class CoordinatorRuleForm(NldsFormMixin, forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    subtype = forms.ChoiceField(
        label=_("Soort organisatie (optioneel)"),
        choices=[("", _("Elke soort in deze sector"))] + list(Subtype.choices),
        required=False,
    )


class InstitutionalAddressForm(NldsFormMixin, forms.ModelForm):
    # longer than the stored 6 characters, so "1234 ab" is accepted and normalised
    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    bag_id = forms.CharField(
        label=_("BAG-id (optioneel)"),
        required=False,
        max_length=16,
        help_text=_(
            "De 16 cijfers van het verblijfsobject. Laat leeg om het op te zoeken bij het adres. "
            "Het BAG-id wordt niet bewaard, alleen een versleutelde afgeleide."
        ),
    )

    class Meta:
        model = InstitutionalAddress
        fields = ["description", "postcode", "house_number", "house_letter", "house_number_addition"]
        help_texts = {"description": _("Bijvoorbeeld: gezinshuis De Linde, of AZC Zeist.")}
        error_messages = {
            "house_number": {"invalid": _("Vul het huisnummer in als getal, zonder letter of toevoeging.")},
        }

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].replace(" ", "").upper()
        if not POSTCODE.match(postcode):
            raise ValidationError(_("Vul een postcode in als 1234 AB."))
        return postcode

    def clean_house_letter(self):
        letter = self.cleaned_data.get("house_letter", "").strip().upper()
        if letter and not letter.isalpha():
            raise ValidationError(_("Een huisletter is één letter."))
        return letter

    def clean_house_number_addition(self):
        return self.cleaned_data.get("house_number_addition", "").strip().upper()

    def clean_bag_id(self):
        bag_id = self.cleaned_data.get("bag_id", "").replace(" ", "")
        if bag_id and not re.fullmatch(r"\d{16}", bag_id):
            raise ValidationError(_("Een BAG-id bestaat uit 16 cijfers."))
        return bag_id

    def validate_unique(self):
        pass


class RegionSettingsForm(NldsFormMixin, forms.ModelForm):
    """The region's own parameters; the legal maxima (regions/legal.py) are the guard rails."""

    class Meta:
        model = Region
        fields = list(REGION_SETTINGS)
        help_texts = {
            "max_age": _("Tot welke leeftijd een signaal kan worden afgegeven. De wet staat hoogstens %(max)s toe."),
            "active_years": _("Hoe lang een signaal actief is. De wet staat hoogstens %(max)s jaar toe."),
            "archive_years": _(
                "Hoe lang een beëindigd signaal in het archief blijft. De wet staat hoogstens %(max)s jaar toe."
            ),
            "address_matches": _(
                "Zet dit uit als de lijst met instellingsadressen niet bijgehouden wordt: dan geven jeugdigen op "
                "hetzelfde adres geen match meer, broers, zussen en dezelfde jeugdige nog wel."
            ),
            "unborn_overdue_weeks": _(
                "Is het kind zoveel weken na de verwachte datum nog niet in de BRP, dan vragen we de professional het "
                "signaal bij te werken of te beëindigen."
            ),
            "unborn_end_weeks": _("Gebeurt er daarna niets, dan eindigt het signaal vanzelf na zoveel weken."),
            "reminder_weeks": _(
                "Hoeveel weken voor het einde van een signaal de meldingsbevoegde een herinnering krijgt."
            ),
            "followup_days": _("Na hoeveel dagen zonder vastgelegde opvolging een match bij de monitor verschijnt."),
            "request_deadline_days": _("De termijn voor het afhandelen van verzoeken van burgers."),
            "advice_days": _("Binnen hoeveel dagen de meldingsbevoegde advies geeft over een verzoek."),
        }

    # what a change does to the signals already placed (signals/periods.py)
    PERIOD_CHANGE_HELP = _(
        "Een wijziging geldt vanaf de volgende nachtelijke verwerking. Een lagere waarde kort lopende en "
        "gearchiveerde signalen in; een hogere waarde maakt een signaal nooit langer dan de professional bij het "
        "afgeven is verteld."
    )
    ADDRESS_CHANGE_HELP = _(
        "Een wijziging geldt voor matches die daarna ontstaan, voor de signalen van deze regio; bestaande matches "
        "blijven."
    )
    # field -> the legal maximum it may not exceed
    LEGAL_LIMITS = {"max_age": "MAX_AGE", "active_years": "ACTIVE_YEARS", "archive_years": "ARCHIVE_YEARS"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address = self.fields["address_matches"]
        address.help_text = f"{address.help_text} {self.ADDRESS_CHANGE_HELP}"
        for name, limit in self.LEGAL_LIMITS.items():
            field = self.fields[name]
            maximum = getattr(legal, limit)
            field.help_text = f"{field.help_text % {'max': maximum}} {self.PERIOD_CHANGE_HELP}"
            field.max_value = maximum
            field.widget.attrs["max"] = maximum
            field.validators.append(
                MaxValueValidator(
                    maximum,
                    message=_("Zolang de wet dit voorschrijft, kan dit hoogstens %(limit_value)s zijn."),
                )
            )


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class ColourInput(forms.TextInput):
    input_type = "color"


class RegionLookForm(NldsFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam van de verwijsindex"), max_length=200)
    primary_colour = forms.CharField(
        label=_("Hoofdkleur"), widget=ColourInput, help_text=_("De kleur van de kopbalk, als #rrggbb.")
    )
    contrast_colour = forms.CharField(
        label=_("Tekstkleur op de hoofdkleur"),
        widget=ColourInput,
        help_text=_("Moet genoeg contrast hebben met de hoofdkleur (minstens 4,5 : 1)."),
    )
    font = forms.ChoiceField(label=_("Lettertype"), choices=FONT_CHOICES)
    logo = forms.FileField(
        label=_("Logo (optioneel)"),
        required=False,
        help_text=_("PNG, JPEG of WebP, hoogstens 512 kB en 2000 × 2000 pixels."),
    )
    remove_logo = forms.BooleanField(label=_("Huidig logo verwijderen"), required=False)

    def _clean_colour(self, field):
        value = self.cleaned_data.get(field, "").strip()
        if not HEX_COLOUR.match(value):
            raise ValidationError(_("Vul een kleur in als #rrggbb, bijvoorbeeld #01689b."))
        return value.lower()

    def clean_primary_colour(self):
        return self._clean_colour("primary_colour")

    def clean_contrast_colour(self):
        return self._clean_colour("contrast_colour")

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("Het logo is te groot: hoogstens 512 kB."))
        try:
            image = Image.open(upload)
            image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(_("Dit bestand is geen afbeelding. Kies een PNG-, JPEG- of WebP-bestand.")) from None
        if image.format not in LOGO_FORMATS:
            raise ValidationError(_("Kies een PNG-, JPEG- of WebP-bestand; andere soorten worden niet geaccepteerd."))
        if image.width > LOGO_MAX_PIXELS or image.height > LOGO_MAX_PIXELS:
            raise ValidationError(_("Het logo is te groot: hoogstens 2000 × 2000 pixels."))
        upload.seek(0)
        upload.image_format = LOGO_FORMATS[image.format]
        return upload

    def clean(self):
        data = super().clean()
        primary, contrast = data.get("primary_colour"), data.get("contrast_colour")
        if primary and contrast and contrast_ratio(primary, contrast) < 4.5:
            self.add_error(
                "contrast_colour",
                _("Het contrast tussen de kleuren is %(ratio)s : 1; dat moet minstens 4,5 : 1 zijn voor leesbaarheid.")
                % {"ratio": f"{contrast_ratio(primary, contrast):.1f}".replace(".", ",")},
            )
        return data


class SignallingProfileForm(NldsFormMixin, forms.Form):
    signalling_profile = forms.CharField(
        label=_("Signaleringsprofiel"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=10000,
        help_text=_(
            "De eigen richtlijn van uw organisatie: wanneer geeft een meldingsbevoegde een signaal af? "
            "Meldingsbevoegden zien deze tekst bij het afgeven van een signaal."
        ),
    )

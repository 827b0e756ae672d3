"""The logbook search form. The BSN box is separate: it is posted, turned into a pseudonym and never shown again.

Whether the typed value is a BSN is checked with the look-up limit (audit.hooks.bsn_search_check).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DutchDateField

from .actions import action_label

_SIGNAL_REFERENCE = re.compile(r"^(?:VI-?)?0*(\d{1,12})$", re.IGNORECASE)


class LogbookFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Handeling"), required=False)
    date_from = DutchDateField(label=_("Van"), required=False)
    date_to = DutchDateField(label=_("Tot en met"), required=False)
    signal = forms.CharField(
        label=_("Signaalreferentie"),
        required=False,
        max_length=20,
        help_text=_("Bijvoorbeeld VI-0000123."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Alle handelingen"))] + [(a, action_label(a)) for a in actions]

    def clean_signal(self):
        value = self.cleaned_data["signal"].strip()
        if not value:
            return None
        match = _SIGNAL_REFERENCE.match(value)
        if not match:
            raise forms.ValidationError(_("Dit is geen signaalreferentie. Gebruik de vorm VI-0000123."))
        return int(match.group(1))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return cleaned


class LogbookBsnForm(forms.Form):
    bsn = forms.CharField(
        label=_("Zoeken op BSN"),
        max_length=20,
        help_text=_("Het BSN wordt omgezet in een pseudoniem en niet bewaard of getoond."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "class": "utrecht-textbox"}),
    )

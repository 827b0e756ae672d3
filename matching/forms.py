"""Forms of the match pages: hand-over of the coordinator role, the follow-up, and the monitor's note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DutchDateField
from regions.forms import NldsFormMixin

from .coordination import follow_up_date_error


def _date_field(label, help_text=""):
    return DutchDateField(label=label, required=False, help_text=help_text)


class HandoverForm(forms.Form):
    signal = forms.TypedChoiceField(
        label=_("Draag de matchregie over aan"),
        coerce=int,
        error_messages={
            "required": _("Kies aan wie u de matchregie wilt overdragen."),
            "invalid_choice": _("Kies een van de betrokken professionals."),
        },
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        # one line per professional (participants_of gives each active professional once)
        self.fields["signal"].choices = [("", _("— kies —"))] + [
            (s.pk, f"{s.contact_name} — {s.organisation.name}") for s in participants
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accepteren")), ("decline", _("Weigeren"))],
        error_messages={
            "required": _("Kies of u de matchregie accepteert of weigert."),
            "invalid_choice": _("Kies of u de matchregie accepteert of weigert."),
        },
    )


class FollowUpForm(forms.Form):
    """Per active participant: the date contact was made; for the match: the date coordination was agreed."""

    def __init__(self, *args, match, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        self.participants = participants
        for signal in participants:
            self.fields[f"contact_{signal.pk}"] = _date_field(
                _("Contact met %(name)s (%(organisation)s) gelegd op")
                % {"name": signal.contact_name, "organisation": signal.organisation.name}
            )
            self.initial.setdefault(f"contact_{signal.pk}", signal.match_participation.contact_made_on)
        self.fields["coordination_agreed_on"] = _date_field(
            _("Afgestemd op"), _("De datum waarop met alle betrokkenen is afgesproken hoe de zorg wordt afgestemd.")
        )
        self.initial.setdefault("coordination_agreed_on", match.coordination_agreed_on)

    def clean(self):
        data = super().clean()
        joined = {f"contact_{s.pk}": s.match_participation.joined_at for s in self.participants}
        for name, value in list(data.items()):
            error = follow_up_date_error(value, match=self.match, joined_at=joined.get(name))
            if error:
                self.add_error(name, error)
        contacts = [data.get(f"contact_{s.pk}") for s in self.participants]
        agreed = data.get("coordination_agreed_on")
        if agreed and not all(contacts) and "coordination_agreed_on" not in self.errors:
            self.add_error("coordination_agreed_on", _("Leg eerst vast dat er met iedere betrokkene contact is."))
        elif agreed and any(c and agreed < c for c in contacts) and "coordination_agreed_on" not in self.errors:
            self.add_error("coordination_agreed_on", _("De afstemming kan niet vóór het contact liggen."))
        return data

    @property
    def contacts(self) -> dict:
        return {s.pk: self.cleaned_data.get(f"contact_{s.pk}") for s in self.participants}


class FollowupNoteForm(NldsFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Notitie (optioneel)"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("De notitie is te lang: gebruik hoogstens 500 tekens.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: matchregisseur gebeld, contact wordt deze week gelegd. Geen gegevens over de jeugdige."
        ),
    )

"""Forms of the match pages: hand-over of the coordinator role and the follow-up."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        self.fields["signal"].choices = [("", _("— kies —"))] + [
            (s.pk, f"{s.contact_name} — {s.organisation.name}") for s in participants
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accepteren")), ("decline", _("Weigeren"))])


class FollowUpForm(forms.Form):
    contact_made_on = forms.DateField(
        label=_("Contact gelegd op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-01.")},
        help_text=_("De datum waarop alle betrokken professionals contact met elkaar hadden."),
    )
    coordination_agreed_on = forms.DateField(
        label=_("Afstemming afgesproken op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-01.")},
        help_text=_("De datum waarop is afgesproken hoe de zorg wordt afgestemd."),
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("contact_made_on", "coordination_agreed_on"):
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Deze datum ligt in de toekomst."))
        contact, agreed = data.get("contact_made_on"), data.get("coordination_agreed_on")
        recorded_before = any(self.initial.values())
        if not contact and not agreed and not recorded_before and not self.errors:
            # blank dates clear a recorded follow-up; with nothing recorded yet there is nothing to save
            raise forms.ValidationError(_("Vul ten minste de datum in waarop contact is gelegd."))
        if agreed and not contact:
            self.add_error("contact_made_on", _("Vul eerst in wanneer er contact is gelegd."))
        elif agreed and contact and agreed < contact:
            self.add_error("coordination_agreed_on", _("De afstemming kan niet vóór het eerste contact liggen."))
        return data

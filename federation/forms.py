"""Forms of the federation's pages: the follow-up of a national match by its coordinator."""

from django import forms
from django.utils.translation import gettext as _

from core.dates import DutchDateField

from .followup import date_error


class NationalFollowUpForm(forms.Form):
    """Per professional of another deployment: the date contact was made; for the national match: the agreement."""

    def __init__(self, *args, remotes, record, arose, local_missing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.remotes = remotes
        self.arose = arose
        self.local_missing = local_missing
        for index, remote in enumerate(remotes):
            name = f"contact_{index}"
            self.fields[name] = DutchDateField(
                label=_("Contact met %(name)s (%(organisation)s) gelegd op")
                % {"name": remote.contact_name, "organisation": remote.organisation},
                required=False,
            )
            self.initial.setdefault(name, record.contact_of(remote.deployment, remote.reference) if record else None)
        self.fields["coordination_agreed_on"] = DutchDateField(
            label=_("Afgestemd op"),
            required=False,
            help_text=_("De datum waarop met alle betrokkenen is afgesproken hoe de zorg wordt afgestemd."),
        )
        self.initial.setdefault("coordination_agreed_on", record.coordination_agreed_on if record else None)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            error = date_error(value, arose=self.arose)
            if error:
                self.add_error(name, error)
        contacts = [data.get(f"contact_{index}") for index in range(len(self.remotes))]
        agreed = data.get("coordination_agreed_on")
        if agreed and "coordination_agreed_on" not in self.errors:
            if self.local_missing or not all(contacts):
                self.add_error("coordination_agreed_on", _("Leg eerst vast dat er met iedere betrokkene contact is."))
            elif any(c and agreed < c for c in contacts):
                self.add_error("coordination_agreed_on", _("De afstemming kan niet vóór het contact liggen."))
        return data

    @property
    def contacts(self) -> dict:
        return {
            (remote.deployment, remote.reference): self.cleaned_data.get(f"contact_{index}")
            for index, remote in enumerate(self.remotes)
        }


class NationalHandoverForm(forms.Form):
    """The national coordinator proposes a professional of another deployment as the next coordinator."""

    to = forms.ChoiceField(
        label=_("Draag de matchregie over aan"),
        error_messages={
            "required": _("Kies aan wie u de matchregie wilt overdragen."),
            "invalid_choice": _("Kies een van de betrokken professionals."),
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", _("— kies —"))] + [
            (f"{r.deployment}|{r.reference}", f"{r.contact_name} — {r.organisation}") for r in candidates
        ]

    @property
    def target(self) -> tuple[str, str]:
        deployment, _sep, reference = self.cleaned_data["to"].partition("|")
        return deployment, reference

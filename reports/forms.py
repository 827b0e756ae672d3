"""The period of the statistics."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.forms import NldsFormMixin

MAX_MONTHS = 60


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError(_("Vul een maand in als jjjj-mm, bijvoorbeeld 2026-01.")) from None


class PeriodForm(NldsFormMixin, forms.Form):
    first = MonthField(label=_("Van maand"), required=False)
    last = MonthField(label=_("Tot en met maand"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if first > last:
                raise ValidationError(_("De eerste maand moet voor de laatste liggen."))
            if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
                raise ValidationError(_("Kies een periode van hoogstens 60 maanden."))
        return data


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this month included."""
    last = today.replace(day=1)
    first = last.replace(year=last.year - 1)
    first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, last

"""The period of the statistics."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import DutchMonthField
from regions.forms import NldsFormMixin

MAX_MONTHS = 60


class PeriodForm(NldsFormMixin, forms.Form):
    """The months of the figures; what is left open is filled in from the last twelve months."""

    first = DutchMonthField(label=_("Van maand"), required=False)
    last = DutchMonthField(label=_("Tot en met maand"), required=False)

    def __init__(self, *args, today: datetime.date, **kwargs):
        first, last = default_period(today)
        kwargs.setdefault("initial", {"first": first, "last": last})
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        this_month = self.today.replace(day=1)
        for name in ("first", "last"):
            if data.get(name) and data[name] > this_month:
                # no figures exist yet, and the month after December 9999 does not exist at all
                self.add_error(name, _("Kies geen maand na deze maand."))
        if self.errors:
            return data
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            raise ValidationError(_("De eerste maand moet voor de laatste liggen."))
        first, last = _period(first, last, self.today)
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise ValidationError(_("Kies een periode van hoogstens 60 maanden."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The first and last month to show: those chosen, or the default period when the choice is not valid."""
        if self.is_bound and self.is_valid():
            return _period(self.cleaned_data["first"], self.cleaned_data["last"], self.today)
        return default_period(self.today)


def _period(first, last, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A month left open: the last one is this month, the first twelve months back (or the last one if later)."""
    default_first, default_last = default_period(today)
    last = last or default_last
    return first or min(default_first, last), last


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this month included."""
    last = today.replace(day=1)
    first = last.replace(year=last.year - 1)
    first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, last

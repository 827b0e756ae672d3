"""The Dutch date field: a text box in dd-mm-jjjj with its hint, whatever language the browser speaks.

A native `<input type=date>` shows the browser's own order (mm/dd/yyyy in an English browser) in a Dutch page
and drops any value it cannot read. This field is a plain text box: it shows and takes day-month-year, accepts
the forms people type (1-3-2026, 01-03-2026, 1/3/2026, 01.03.2026, 01032026) and the ISO form a link or an
older bookmark may carry (2026-03-01), and says in words what is wrong with anything else.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISPLAY_FORMAT = "%d-%m-%Y"
# day, month, year separated by - / . or spaces; or eight digits in a row (a phone's numeric keypad has no dash)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date_display(day: datetime.date | None) -> str:
    """A date as the field shows it: 03-12-2026."""
    return day.strftime(DISPLAY_FORMAT) if day else ""


def parse_dutch_date(value: str) -> datetime.date:
    """The date typed as day-month-year (or ISO); ValueError with the reason otherwise."""
    text = value.strip()
    if match := _DAY_MONTH_YEAR.match(text) or _DIGITS_ONLY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError("format")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError("no such day") from None


class DutchDateInput(forms.TextInput):
    """A text box for dd-mm-jjjj; `widget_type` "dutchdate" gives it its hint in the form field component."""

    def __init__(self, attrs=None):
        # numeric keypad on a phone; no autofill of someone else's date; wide enough for ten characters
        defaults = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "size": "10"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return date_display(value)
        if isinstance(value, str) and value:
            # an initial value given as ISO text shows in the Dutch form too
            try:
                return date_display(parse_dutch_date(value))
            except ValueError:
                return value
        return super().format_value(value)


class DutchDateField(forms.DateField):
    """A date typed as dd-mm-jjjj, with a Dutch message for a date that cannot be read or does not exist."""

    widget = DutchDateInput
    default_error_messages = {
        "invalid": _("Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-2026."),
        "no_such_day": _("De datum %(value)s bestaat niet. Vul de datum in als dd-mm-jjjj, bijvoorbeeld 15-03-2026."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_dutch_date(str(value))
        except ValueError as error:
            if str(error) == "no such day":
                raise ValidationError(
                    self.error_messages["no_such_day"], code="no_such_day", params={"value": str(value).strip()}
                ) from None
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

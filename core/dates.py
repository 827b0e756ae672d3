"""The Dutch date and month fields: text boxes in dd-mm-jjjj and mm-jjjj with their hint, whatever the browser.

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


# month and year separated by - / . or spaces; a month written out ("maart 2026", "mrt 2026", "March 2026")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.\s]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan", "january"),
            ("februari", "feb", "february"),
            ("maart", "mrt", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("augustus", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH_DISPLAY_FORMAT = "%m-%Y"


def parse_dutch_month(value: str) -> datetime.date:
    """The first day of the month typed as month-year, a month's name and year, or ISO (2026-03); ValueError else."""
    text = value.strip().lower()
    if match := _MONTH_YEAR.match(text):
        month, year = (int(part) for part in match.groups())
    elif match := _ISO_MONTH.match(text):
        year, month = (int(part) for part in match.groups())
    elif (match := _NAMED_MONTH.match(text)) and match.group(1) in _MONTH_NAMES:
        month, year = _MONTH_NAMES[match.group(1)], int(match.group(2))
    else:
        raise ValueError("format")
    if not 1 <= month <= 12 or year < 1:
        raise ValueError("no such month")
    return datetime.date(year, month, 1)


class DutchMonthInput(DutchDateInput):
    """A text box for mm-jjjj; `widget_type` "dutchmonth" gives it its hint in the form field component."""

    def __init__(self, attrs=None):
        super().__init__({"size": "7", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(MONTH_DISPLAY_FORMAT)
        if isinstance(value, str) and value:
            try:
                return parse_dutch_month(value).strftime(MONTH_DISPLAY_FORMAT)
            except ValueError:
                return value
        return forms.TextInput.format_value(self, value)


class DutchMonthField(forms.Field):
    """A month typed as mm-jjjj (the first day of that month), with a Dutch message for one it cannot read."""

    widget = DutchMonthInput
    default_error_messages = {
        "invalid": _("Vul de maand in als mm-jjjj, bijvoorbeeld 03-2026."),
        "no_such_month": _("De maand %(value)s bestaat niet. Vul de maand in als mm-jjjj, bijvoorbeeld 03-2026."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            return parse_dutch_month(str(value))
        except ValueError as error:
            if str(error) == "no such month":
                raise ValidationError(
                    self.error_messages["no_such_month"], code="no_such_month", params={"value": str(value).strip()}
                ) from None
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

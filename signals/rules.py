"""Date and age rules of a signal: the 23rd birthday, the planned end, whom to inform at which age."""

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from persons.models import Youth
from regions.legal import MAX_AGE
from regions.parameters import Periods, legal_periods

from .exceptions import ExpectedBirthDateRefused, UnbornNotAllowed

__all__ = ["MAX_AGE", "Periods"]  # MAX_AGE: the legal maximum age; a signal follows its region's (periods.py)


class Party:
    YOUTH = "youth"
    PARENTS = "parents"
    LABELS = {YOUTH: _("de jeugdige"), PARENTS: _("de ouders/gezaghebbenden")}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February (the earlier date) in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years. `birth_date` is the earliest possible date (partial BRP dates), so never too young."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def turns_23_on(birth_date: datetime.date, max_age: int | None = None) -> datetime.date:
    """The birthday at which signals end: the 23rd, or the region's lower maximum age (`max_age`)."""
    return add_years(birth_date, max_age or legal_periods().max_age)


def born_on_or_before_for_age(day: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone who is at least `years` old on `day` (for set-based queries)."""
    cutoff = add_years(day, -years)
    # someone born on 29 February has their birthday on 28 February in a common year (add_years above)
    if day.month == 2 and day.day == 28 and not _is_leap(day.year) and _is_leap(cutoff.year):
        return cutoff.replace(day=29)
    return cutoff


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# The date convention (docs/adr/0007-exact-legal-dates.md): `ends_on` is the LAST active day, the signal is
# archived the day after, and `archive_until` is the day it is destroyed. Placed on 22 November 2026: active up to
# and including 21 November 2028, archived on 22 November 2028, destroyed on 22 November 2033.
ONE_DAY = datetime.timedelta(days=1)


def planned_end(
    *, placed_on: datetime.date, birth_date: datetime.date, periods: Periods | None = None
) -> datetime.date:
    """The last active day: the day before the second anniversary, or the day before the 23rd birthday if earlier
    (with a region's `periods`: its active years and maximum age; without, the legal maxima).

    Also the end of an extension (`placed_on` is then the day of extension)."""
    periods = periods or legal_periods()
    return min(add_years(placed_on, periods.active_years) - ONE_DAY, turns_23_on(birth_date, periods.max_age) - ONE_DAY)


def archived_on(ends_on: datetime.date) -> datetime.date:
    """The first day a signal that runs its course is no longer active: the day after its last active day."""
    return ends_on + ONE_DAY


def ends_at_23rd_birthday(*, ends_on: datetime.date, birth_date: datetime.date, max_age: int | None = None) -> bool:
    """True when the day after the last active day is the 23rd birthday (or the region's `max_age`): the signal is
    then destroyed, not archived."""
    return archived_on(ends_on) >= turns_23_on(birth_date, max_age)


def archive_until(
    *, ended_on: datetime.date, birth_date: datetime.date, periods: Periods | None = None
) -> datetime.date:
    """The day an archived signal is destroyed: five years (the region's archive years) after the day it was
    archived (`ended_on`), or the 23rd birthday (the region's maximum age) if that comes first."""
    periods = periods or legal_periods()
    return min(add_years(ended_on, periods.archive_years), turns_23_on(birth_date, periods.max_age))


def parties_to_inform(age: int) -> tuple[str, ...]:
    """Under 12 the parents/guardians; 12 up to 16 the youth and the parents/guardians; 16 and older the youth."""
    if age < 12:
        return (Party.PARENTS,)
    if age < 16:
        return (Party.YOUTH, Party.PARENTS)
    return (Party.YOUTH,)


# the expected date may lie a little in the past (a birth not yet registered) and at most ~10 months ahead
EXPECTED_AT_MOST_PAST = datetime.timedelta(weeks=4)
EXPECTED_AT_MOST_AHEAD = datetime.timedelta(weeks=44)


def unborn_allowed_check(*, organisation) -> None:
    if not organisation.region.unborn_signals_allowed:
        raise UnbornNotAllowed()


def expected_birth_date_check(expected: datetime.date | None, *, today: datetime.date) -> None:
    if expected is None:
        raise ExpectedBirthDateRefused()
    if expected < today - EXPECTED_AT_MOST_PAST:
        raise ExpectedBirthDateRefused(
            gettext(
                "De verwachte geboortedatum ligt meer dan 4 weken in het verleden. Is het kind geboren, geef dan een "
                "signaal af op het kind zelf."
            )
        )
    if expected > today + EXPECTED_AT_MOST_AHEAD:
        raise ExpectedBirthDateRefused(
            gettext("De verwachte geboortedatum ligt te ver in de toekomst: hoogstens ongeveer 10 maanden na vandaag.")
        )


def unborn_place_check(*, organisation, youth: Youth, expected_birth_date, today: datetime.date) -> None:
    """The refusals of placing that belong to an unborn child (called by services.signal_place_check)."""
    if not youth.is_unborn:
        return
    unborn_allowed_check(organisation=organisation)
    expected_birth_date_check(expected_birth_date, today=today)

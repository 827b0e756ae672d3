"""Who may exercise a youth's rights, from the youth's age on the day the request is received."""

import datetime

from .models import Authority, RequesterCapacity


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Age in whole years; the birthday itself counts (a youth is 12 on the day of the 12th birthday)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def exercise_authority(*, age: int | None, capacity: str) -> Authority:
    """Under 12 the legal representative; 12 up to 16 youth and representative together; 16+ the youth alone."""
    if age is None:
        return Authority.UNKNOWN
    is_youth = capacity == RequesterCapacity.YOUTH
    if age < 12:
        return Authority.NOT_ALLOWED if is_youth else Authority.ALONE
    if age < 16:
        return Authority.JOINTLY
    return Authority.ALONE if is_youth else Authority.NOT_ALLOWED

"""The person as the BRP gives it (client-independent), the client interface and BRP date helpers."""

import datetime
from dataclasses import dataclass, field
from typing import Protocol

# Reasons for `opschortingBijhouding` (suspension of the person's record), GBA table 36
SUSPENDED_DECEASED = "O"
SUSPENDED_EMIGRATED = "E"
SUSPENDED_MINISTERIAL = "M"
SUSPENDED_ERROR = "F"  # the record was created in error: the person does not exist
SUSPENDED_RNI = "R"


@dataclass(frozen=True)
class BrpPerson:
    """One person from the BRP. Holds plain BSNs and BAG ids: never store or log it as is."""

    bsn: str
    first_names: str = ""
    name_prefix: str = ""
    surname: str = ""
    # "YYYYMMDD" with "00" for an unknown month/day ("00000000": unknown)
    birth_date_brp: str = "00000000"
    sex: str = ""
    # the Dutch address (empty when the person lives abroad or has no known address)
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    postcode: str = ""
    town: str = ""
    # BAG id of the dwelling where the person lives (empty for a mailing address, abroad or unknown)
    bag_id: str = ""
    municipality_code: str = ""
    # the BRP's own name of that municipality (`gemeenteVanInschrijving.omschrijving`), shown instead of the code
    municipality_name: str = ""
    parent_bsns: tuple[str, ...] = field(default_factory=tuple)
    # the person's children as (BSN, "YYYYMMDD" date of birth): how the refresh finds an unborn child born
    children: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    confidential: bool = False
    # "YYYYMMDD" as for the birth date; empty when alive
    death_date_brp: str = ""
    suspension_reason: str = ""
    suspension_date_brp: str = ""

    @property
    def birth_date(self) -> datetime.date:
        return brp_date_earliest(self.birth_date_brp) or datetime.date.min

    @property
    def date_of_death(self) -> datetime.date | None:
        if self.death_date_brp:
            return brp_date_earliest(self.death_date_brp) or datetime.date.min
        if self.suspension_reason == SUSPENDED_DECEASED:
            return brp_date_earliest(self.suspension_date_brp) or datetime.date.min
        return None

    @property
    def is_deceased(self) -> bool:
        return self.date_of_death is not None

    @property
    def has_address(self) -> bool:
        return bool(self.street or self.postcode or self.house_number)


class BrpClient(Protocol):
    def person(self, bsn: str) -> BrpPerson | None:
        """The person with this (normalised) BSN, or None; raises BrpUnavailable when the BRP cannot answer."""


def brp_date_earliest(value: str) -> datetime.date | None:
    """The earliest date a BRP date "YYYYMMDD" can mean ("00" month/day: the first); None if the year is unknown."""
    if not value or len(value) != 8 or not value.isdigit():
        return None
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    if year == 0:
        return None
    try:
        return datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None

"""The row of an unborn child: looked up through its mother's BSN, kept up to date from her BRP record.

The unborn child has no BSN. Its row (persons.models.Youth with `unborn_mother_pseudonym`) carries the mother's
names and address, the expected date of birth as `birth_date`, the mother as its one parent, and the mother's
BSN encrypted so that the nightly refresh can read her record and her children (docs/adr/0030-unborn-children.md).
"""

import datetime
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from .brp import BrpPerson
from .brp.types import brp_date_earliest
from .events import UnbornBirths, YouthChange, unborn_births_dispatch, youth_change_dispatch
from .models import Youth

logger = logging.getLogger(__name__)

# what the unborn row takes over from the mother's row (her names, address and municipality)
MOTHER_FIELDS = (
    "first_names",
    "name_prefix",
    "surname",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
    "bag_pseudonym",
    "municipality_code",
    "confidential",
)


def _brp_date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def unborn_of_mother(*, mother: Youth, expected_birth_date: datetime.date) -> Youth:
    """The row of the unborn child of this mother (a row from `youth_by_bsn`), created on the first signal.

    Two professionals signalling the same pregnancy share the row, so their signals match as on one youth.
    """
    with transaction.atomic():
        # one row per mother, also under concurrent placements: serialise on the mother's row
        Youth.objects.select_for_update().filter(pk=mother.pk).first()
        unborn = Youth.objects.filter(unborn_mother_pseudonym=mother.pseudonym).order_by("pk").first()
        if unborn is not None:
            return unborn
        return Youth.objects.create(
            # random: the unborn child has no BSN, and nothing may be derived from the mother's pseudonym here
            pseudonym=f"unborn-{secrets.token_hex(24)}",
            bsn_encrypted=mother.bsn_encrypted,
            unborn_mother_pseudonym=mother.pseudonym,
            birth_date=expected_birth_date,
            birth_date_brp=_brp_date(expected_birth_date),
            parent_pseudonyms=[mother.pseudonym],
            refreshed_at=timezone.now(),
            **{name: getattr(mother, name) for name in MOTHER_FIELDS},
        )


def unborn_apply(unborn: Youth, mother_fields: dict, *, as_of: datetime.date | None) -> YouthChange | None:
    """Write the mother's current data (as persons.services._person_fields gives it) onto the unborn row."""
    old_address = unborn.bag_pseudonym
    old_municipality = unborn.municipality_code
    for name in MOTHER_FIELDS:
        setattr(unborn, name, mother_fields[name])
    unborn.refreshed_at = timezone.now()
    unborn.save()
    change = YouthChange(
        youth_id=unborn.pk,
        old_municipality_code=old_municipality,
        new_municipality_code=unborn.municipality_code,
        address_changed=old_address != unborn.bag_pseudonym,
        as_of=as_of,
    )
    return change if change.anything else None


def unborn_refresh_one(unborn_pk: int, mother: BrpPerson, mother_fields: dict, *, as_of: datetime.date) -> None:
    """One unborn row in the nightly refresh: the mother's data, then her children for the signals to look at."""
    with transaction.atomic():
        unborn = Youth.objects.select_for_update().get(pk=unborn_pk)
        change = unborn_apply(unborn, mother_fields, as_of=as_of)
        if change is not None:
            youth_change_dispatch(change)
        children = tuple(
            (bsn, born)
            for bsn, born in ((bsn, brp_date_earliest(brp_date)) for bsn, brp_date in mother.children)
            if born is not None
        )
        unborn_births_dispatch(UnbornBirths(unborn_youth_id=unborn.pk, children=children, as_of=as_of))

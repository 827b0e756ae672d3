"""Writes of the persons app: looking a youth up in the BRP (creating or refreshing it) and the nightly refresh."""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.services import log_event

from .brp import BrpPerson, get_client
from .brp.types import SUSPENDED_ERROR
from .bsn import bag_pseudonym, bsn_decrypt, bsn_encrypt, bsn_normalise, bsn_pseudonym
from .events import YouthChange, youth_change_dispatch
from .exceptions import BrpUnavailable, PersonDeceased, PersonLookupError, PersonNotFound
from .models import Youth

logger = logging.getLogger(__name__)

ADDRESS_FIELDS = ("street", "house_number", "house_letter", "house_number_addition", "postcode", "town")


def _person_fields(person: BrpPerson) -> dict:
    """The Youth's columns for this BRP person. Parents' BSNs and the BAG id only as pseudonyms."""
    # geheimhouding: the address is never shown, so it is not kept either; the BAG pseudonym stays for matching
    show_address = not person.confidential
    return {
        "first_names": person.first_names,
        "name_prefix": person.name_prefix,
        "surname": person.surname,
        "birth_date_brp": person.birth_date_brp,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "street": person.street if show_address else "",
        "house_number": person.house_number if show_address else None,
        "house_letter": person.house_letter if show_address else "",
        "house_number_addition": person.house_number_addition if show_address else "",
        "postcode": person.postcode.replace(" ", "") if show_address else "",
        "town": person.town if show_address else "",
        "bag_pseudonym": bag_pseudonym(person.bag_id) if person.bag_id else "",
        "municipality_code": person.municipality_code,
        "parent_pseudonyms": sorted({bsn_pseudonym(parent) for parent in person.parent_bsns}),
        "confidential": person.confidential,
        "date_of_death": person.date_of_death,
        "suspension_reason": person.suspension_reason,
    }


def _youth_apply(youth: Youth, person: BrpPerson, *, as_of: datetime.date | None) -> YouthChange | None:
    """Write the BRP's data onto an existing youth; the change that matters to other apps, if any."""
    fields = _person_fields(person)
    old_address = tuple(getattr(youth, name) for name in (*ADDRESS_FIELDS, "bag_pseudonym"))
    old_parents = set(youth.parent_pseudonyms)
    old_municipality = youth.municipality_code
    was_alive = youth.date_of_death is None
    for name, value in fields.items():
        setattr(youth, name, value)
    youth.refreshed_at = timezone.now()
    youth.save()
    change = YouthChange(
        youth_id=youth.pk,
        old_municipality_code=old_municipality,
        new_municipality_code=youth.municipality_code,
        died_on=youth.date_of_death if was_alive and youth.date_of_death else None,
        address_changed=old_address != tuple(getattr(youth, name) for name in (*ADDRESS_FIELDS, "bag_pseudonym")),
        parents_changed=old_parents != set(youth.parent_pseudonyms),
        as_of=as_of,
    )
    return change if change.anything else None


def _lookup(client, bsn: str) -> BrpPerson:
    person = client.person(bsn)
    if person is None or person.suspension_reason == SUSPENDED_ERROR:
        raise PersonNotFound()
    return person


def youth_by_bsn(*, bsn: str, actor=None, request=None) -> Youth:
    """The youth with this BSN, created or refreshed from the BRP.

    Raises BsnInvalid, PersonNotFound, PersonDeceased or BrpUnavailable (each with its own Dutch message).
    A person without an address is returned without address fields and with an empty BAG pseudonym.
    """
    normalised = bsn_normalise(bsn)
    pseudonym = bsn_pseudonym(normalised)
    try:
        # the BRP is asked outside the transaction: no row locks are held while waiting for it
        person = _lookup(get_client(), normalised)
        if person.is_deceased:
            raise PersonDeceased()
    except PersonLookupError as exc:
        log_event(
            action="brp_lookup", actor=actor, request=request, youth_pseudonym=pseudonym, outcome=type(exc).__name__
        )
        raise

    fields = _person_fields(person)
    with transaction.atomic():
        youth, created = Youth.objects.get_or_create(
            pseudonym=pseudonym,
            defaults={**fields, "bsn_encrypted": bsn_encrypt(normalised), "refreshed_at": timezone.now()},
        )
        if not created:
            youth = Youth.objects.select_for_update().get(pk=youth.pk)
            change = _youth_apply(youth, person, as_of=None)
            if change is not None:
                youth_change_dispatch(change)
        log_event(
            action="brp_lookup",
            actor=actor,
            request=request,
            youth_pseudonym=pseudonym,
            outcome="created" if created else "refreshed",
        )
    return youth


@dataclass
class RefreshResult:
    checked: int = 0
    changed: int = 0
    moved: int = 0
    died: int = 0
    address_changed: int = 0
    parents_changed: int = 0
    not_found: int = 0
    failed: int = 0


def youths_refresh(*, as_of: datetime.date, batch_size: int = 500) -> RefreshResult:
    """Re-read from the BRP every youth that still has signals; store and announce moves, deaths, parents, addresses.

    Each youth is its own transaction, so the run can be stopped and rerun (a rerun finds no change twice).
    Stops with BrpUnavailable when the BRP cannot be reached; what was done so far stays done.
    """
    client = get_client()
    result = RefreshResult()
    last_pk = 0
    while True:
        batch = list(
            Youth.objects.filter(pk__gt=last_pk, signals__isnull=False)
            .order_by("pk")
            .distinct()
            .values_list("pk", "bsn_encrypted")[:batch_size]
        )
        if not batch:
            break
        last_pk = batch[-1][0]
        for youth_pk, token in batch:
            result.checked += 1
            try:
                person = _lookup(client, bsn_decrypt(token))
            except PersonNotFound:
                result.not_found += 1
                logger.warning("Refresh: youth #%s is no longer in the BRP", youth_pk)
                continue
            except BrpUnavailable:
                logger.error("Refresh stopped: the BRP is not reachable (after %s youths)", result.checked - 1)
                raise
            try:
                with transaction.atomic():
                    youth = Youth.objects.select_for_update().get(pk=youth_pk)
                    change = _youth_apply(youth, person, as_of=as_of)
                    if change is not None:
                        youth_change_dispatch(change)
            except Exception:
                # one youth's failing handler must not stop the others; it is retried next run
                result.failed += 1
                logger.exception("Refresh of youth #%s failed", youth_pk)
                continue
            if change is not None:
                result.changed += 1
                result.moved += change.moved
                result.died += change.died
                result.address_changed += change.address_changed
                result.parents_changed += change.parents_changed
    logger.info("Refresh as of %s: %s", as_of.isoformat(), result)
    return result

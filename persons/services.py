"""Writes of the persons app: looking a youth up in the BRP (creating or refreshing it) and the nightly refresh."""

import datetime
import logging
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit import events as audit_events

from .brp import BrpPerson, get_client
from .brp.types import SUSPENDED_ERROR
from .bsn import bag_pseudonym, bsn_decrypt, bsn_encrypt, bsn_normalise, bsn_pseudonym, bsn_reencrypt
from .events import YouthChange, youth_change_dispatch
from .exceptions import BrpUnavailable, PersonDeceased, PersonLookupError, PersonNotFound, PersonNotMatched
from .guards import NOT_MATCHED, birth_date_guess_record, lookup_rate_check
from .models import Youth
from .pseudonyms import pseudonym_columns
from .redaction import redact_bsn

logger = logging.getLogger(__name__)

ADDRESS_FIELDS = ("street", "house_number", "house_letter", "house_number_addition", "postcode", "town")


def _person_fields(person: BrpPerson) -> dict:
    """The Youth's columns for this BRP person. Parents' BSNs and the BAG id only as pseudonyms."""
    # geheimhouding: the address is never shown, so it is not kept either; the BAG pseudonym stays for matching
    show_address = not person.confidential

    def text(value: str) -> str:
        # BRP text is shown to professionals; a BSN inside it (test persons have "Digid 1 <bsn> voornamen") is not
        return redact_bsn(value or "")

    return {
        "first_names": text(person.first_names),
        "name_prefix": text(person.name_prefix),
        "surname": text(person.surname),
        "birth_date_brp": person.birth_date_brp,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "street": text(person.street) if show_address else "",
        "house_number": person.house_number if show_address else None,
        "house_letter": text(person.house_letter) if show_address else "",
        "house_number_addition": text(person.house_number_addition) if show_address else "",
        "postcode": person.postcode.replace(" ", "") if show_address else "",
        "town": text(person.town) if show_address else "",
        "bag_pseudonym": bag_pseudonym(person.bag_id) if person.bag_id else "",
        "municipality_code": person.municipality_code,
        "municipality_name": person.municipality_name[:100],
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


def birth_date_matches(*, brp_date: str, given: datetime.date) -> bool:
    """Whether a date of birth agrees with the BRP's; an unknown BRP month or day ("00") matches anything."""
    if len(brp_date) != 8 or not brp_date.isdigit():
        return False
    year, month, day = int(brp_date[:4]), int(brp_date[4:6]), int(brp_date[6:])
    return given.year == year and month in (0, given.month) and (day == 0 or (month, day) == (given.month, given.day))


def _lookup_log(*, actor, request, pseudonym: str, outcome: str, organisation) -> None:
    """The look-up's logbook entry; outside a transaction it is committed at once (kept when the caller fails)."""
    details = {"api_organisation_id": organisation.pk} if organisation is not None else {}
    audit_events.brp_lookup(actor=actor, request=request, youth_pseudonym=pseudonym, outcome=outcome, **details)


def youth_by_bsn(
    *, bsn: str, birth_date: datetime.date | None = None, actor=None, request=None, organisation=None
) -> Youth:
    """The youth with this BSN and date of birth, created or refreshed from the BRP.

    Every look-up for a user is limited and logged (persons/guards.py, docs/adr/0003-look-up-limits.md):
    call it outside a transaction, so that the logbook entry stays when what the caller does next fails.
    A user must give the date of birth; only system jobs (no `actor`) look up by BSN alone. `organisation`
    is the API client's organisation, whose look-ups are limited together.

    Raises BsnInvalid; PersonNotMatched when the BRP knows no such BSN *or* the date does not agree (one
    answer, so the date cannot be guessed); PersonDeceased only when BSN and date agree; BrpUnavailable;
    LookupRateLimited or BirthDateAttemptsExceeded. Nothing is stored unless BSN and date agree.
    A person without an address is returned without address fields and with an empty BAG pseudonym.
    """
    if actor is not None and birth_date is None:
        raise ValueError("a look-up on behalf of a user needs the date of birth")
    normalised = bsn_normalise(bsn)
    pseudonym = bsn_pseudonym(normalised)
    lookup_rate_check(actor=actor, request=request, pseudonym=pseudonym, organisation=organisation)
    try:
        # the BRP is asked outside the transaction: no row locks are held while waiting for it
        person = _lookup(get_client(), normalised)
    except PersonNotFound:
        person = None
    except PersonLookupError as exc:
        _lookup_log(
            actor=actor, request=request, pseudonym=pseudonym, outcome=type(exc).__name__, organisation=organisation
        )
        raise
    if person is None or (
        birth_date is not None and not birth_date_matches(brp_date=person.birth_date_brp, given=birth_date)
    ):
        _lookup_log(actor=actor, request=request, pseudonym=pseudonym, outcome=NOT_MATCHED, organisation=organisation)
        birth_date_guess_record(actor=actor, request=request, pseudonym=pseudonym)
        raise PersonNotMatched() if birth_date is not None else PersonNotFound()
    if person.is_deceased:
        _lookup_log(
            actor=actor, request=request, pseudonym=pseudonym, outcome="PersonDeceased", organisation=organisation
        )
        raise PersonDeceased()

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
        _lookup_log(
            actor=actor,
            request=request,
            pseudonym=pseudonym,
            outcome="created" if created else "refreshed",
            organisation=organisation,
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
            Youth.objects.filter(pk__gt=last_pk, signals__isnull=False, unborn_mother_pseudonym="")
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
    _unborn_refresh(client, result, as_of=as_of)
    logger.info("Refresh as of %s: %s", as_of.isoformat(), result)
    return result


def _unborn_refresh(client, result: RefreshResult, *, as_of: datetime.date) -> None:
    """The rows of unborn children with signals: their mother's record, and her children (a birth moves the
    signals to the child: signals registers the handler). docs/adr/0030-unborn-children.md"""
    from .unborn import unborn_refresh_one

    rows = list(
        Youth.objects.filter(signals__isnull=False)
        .exclude(unborn_mother_pseudonym="")
        .order_by("pk")
        .distinct()
        .values_list("pk", "bsn_encrypted")
    )
    for unborn_pk, token in rows:
        result.checked += 1
        try:
            mother = _lookup(client, bsn_decrypt(token))
        except PersonNotFound:
            result.not_found += 1
            logger.warning("Refresh: the mother of unborn #%s is no longer in the BRP", unborn_pk)
            continue
        try:
            unborn_refresh_one(unborn_pk, mother, _person_fields(mother), as_of=as_of)
        except Exception:
            result.failed += 1
            logger.exception("Refresh of unborn #%s failed", unborn_pk)


# --- key rotation ------------------------------------------------------------------------------------


def youth_bsns_reencrypt(*, batch_size: int = 500) -> tuple[int, int]:
    """Re-encrypt every youth's BSN under the newest key of BSN_ENCRYPTION_KEYS; (checked, re-encrypted).

    Batches by primary key, one transaction each: safe to stop and rerun (rows already under the newest
    key are left alone). Remove an old key from BSN_ENCRYPTION_KEYS only after a complete run.
    """
    newest = Fernet(settings.BSN_ENCRYPTION_KEYS[0].encode())
    checked = reencrypted = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            youths = list(
                Youth.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "bsn_encrypted")[:batch_size]
            )
            if not youths:
                break
            last_pk = youths[-1].pk
            stale = []
            for youth in youths:
                try:
                    newest.decrypt(youth.bsn_encrypted.encode())
                except InvalidToken:
                    youth.bsn_encrypted = bsn_reencrypt(youth.bsn_encrypted)
                    stale.append(youth)
            Youth.objects.bulk_update(stale, ["bsn_encrypted"])
        checked += len(youths)
        reencrypted += len(stale)
    logger.info("BSN re-encryption: %s checked, %s re-encrypted", checked, reencrypted)
    return checked, reencrypted


@dataclass
class RotationResult:
    youths: int = 0
    rotated: int = 0
    already_rotated: int = 0
    not_in_brp: int = 0
    mismatched: list = dataclass_field(default_factory=list)
    rows_updated: dict = dataclass_field(default_factory=dict)


def _pseudonym_columns_apply(mapping: dict[str, dict[str, str]], result: RotationResult) -> None:
    """Replace old pseudonyms by new ones in every registered column (old and new never collide)."""
    for column in pseudonym_columns():
        pairs = mapping.get(column.kind) or {}
        if not pairs:
            continue
        model = column.model
        if column.is_array:
            rows = list(model.objects.filter(**{f"{column.field}__overlap": list(pairs)}).only("pk", column.field))
            for row in rows:
                setattr(row, column.field, [pairs.get(value, value) for value in getattr(row, column.field)])
            model.objects.bulk_update(rows, [column.field])
            updated = len(rows)
        else:
            table = connection.ops.quote_name(model._meta.db_table)
            name = connection.ops.quote_name(model._meta.get_field(column.field).column)
            values = ", ".join(["(%s, %s)"] * len(pairs))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {name} = m.new FROM (VALUES {values}) AS m(old, new) "  # noqa: S608 - names from model meta
                    f"WHERE {table}.{name} = m.old",
                    [item for pair in pairs.items() for item in pair],
                )
                updated = cursor.rowcount
        result.rows_updated[column.label] = result.rows_updated.get(column.label, 0) + updated


def pseudonyms_rotate(*, old_key: str, new_key: str, batch_size: int = 200) -> RotationResult:
    """Recompute every stored pseudonym under `new_key` (the web application and workers must be stopped).

    Youth pseudonyms come from the decrypted BSNs. Parents' and BAG pseudonyms cannot be recomputed from
    themselves, so each youth is read from the BRP again and its parents' BSNs and BAG id are pseudonymised
    under both keys; every column registered with `register_pseudonym_column` is then rewritten from old to
    new. A pseudonym that no youth's BRP data explains (e.g. an institution's BAG pseudonym, a parent no
    longer in the BRP) keeps its old value and is reported. One transaction per batch: safe to stop and rerun.
    """
    if not old_key or not new_key or old_key == new_key:
        raise ValueError("pseudonym rotation needs the old and the new key, and they must differ")
    client = get_client()
    result = RotationResult()
    last_pk = 0
    while True:
        with transaction.atomic():
            youths = list(
                Youth.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "pseudonym", "bsn_encrypted")[:batch_size]
            )
            if not youths:
                break
            last_pk = youths[-1].pk
            mapping: dict[str, dict[str, str]] = {"bsn": {}, "bag": {}}
            for youth in youths:
                result.youths += 1
                bsn = bsn_decrypt(youth.bsn_encrypted)
                old, new = bsn_pseudonym(bsn, key=old_key), bsn_pseudonym(bsn, key=new_key)
                if youth.pseudonym.startswith("unborn-"):
                    # an unborn child's row: its own pseudonym is random; the mother's is rewritten by the mapping
                    mapping["bsn"][old] = new
                    result.rotated += 1
                    continue
                if youth.pseudonym == new:
                    result.already_rotated += 1
                    continue
                if youth.pseudonym != old:
                    result.mismatched.append(youth.pk)
                    continue
                mapping["bsn"][old] = new
                person = client.person(bsn)  # BrpUnavailable stops the run; this batch is rolled back
                if person is None:
                    result.not_in_brp += 1
                else:
                    for parent in person.parent_bsns:
                        mapping["bsn"][bsn_pseudonym(parent, key=old_key)] = bsn_pseudonym(parent, key=new_key)
                    if person.bag_id:
                        mapping["bag"][bag_pseudonym(person.bag_id, key=old_key)] = bag_pseudonym(
                            person.bag_id, key=new_key
                        )
                result.rotated += 1
            _pseudonym_columns_apply(mapping, result)
    logger.info(
        "Pseudonym rotation: %s youths, %s rotated, %s already rotated, %s not in the BRP, %s mismatched",
        result.youths,
        result.rotated,
        result.already_rotated,
        result.not_in_brp,
        len(result.mismatched),
    )
    return result

"""After a realistic run no plain BSN is anywhere in the database: every text, varchar and JSON column is scanned."""

import re

import pytest
from django.db import connection, transaction
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from audit.models import LogEntry
from audit.services import log_event
from matching.services import match_detect
from persons.services import youth_by_bsn
from signals.models import InformingStatus, Signal
from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory

LOOKED_UP = (
    "999970021",  # the family of mother 999999126
    "999970033",
    "999970045",
    "999999151",
    "000009891",  # two persons at one dwelling
    "999991176",
    "100600220",  # a test person whose names contain the BSN ("Digid 1 100600220 voornamen")
    "999971207",  # geheimhouding
    "999991164",  # living abroad
)
PARENTS = ("999999126", "999999163", "999999138")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def plain_bsns_in_database(bsns: set[str]) -> list[tuple[str, str, str]]:
    """(table, column, BSN) for every text/varchar/JSON/array-of-text value holding one of these BSNs."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                   OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar', '_bpchar')))
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(
                f"SELECT {quoted_column}::text FROM {quoted_table} WHERE {quoted_column}::text ~ '[0-9]{{4}}'"  # noqa: S608
            )
            for (value,) in cursor.fetchall():
                digits = value.replace(".", "").replace(" ", "")
                for candidate in set(_NINE_DIGITS.findall(value)) | set(_NINE_DIGITS.findall(digits)):
                    if stdnum_bsn.is_valid(candidate) and candidate in bsns:
                        found.append((table, column, candidate))
    return found


@pytest.fixture
def realistic_run(brp, region):
    """Youths looked up over HTTP, signals by two organisations, match detection, logbook entries."""
    organisations = [OrganisationFactory(region=region) for _ in range(2)]
    for index, bsn in enumerate(LOOKED_UP):
        youth = youth_by_bsn(bsn=f"{bsn[:4]} {bsn[4:6]} {bsn[6:]}")
        for organisation in organisations[: 1 + index % 2]:
            user = professional(organisation)
            signal = Signal.objects.create(
                youth=youth,
                professional=user,
                organisation=organisation,
                contact_name=user.full_name,
                contact_email=user.email,
                placed_at=timezone.now(),
                ends_on=timezone.localdate().replace(year=timezone.localdate().year + 2),
                informing_status=InformingStatus.INFORMED,
                informed_whom="ouders",
                informed_on=timezone.localdate(),
                informed_how="gesprek",
            )
            log_event(action="signal_placed", actor=user, youth_pseudonym=youth.pseudonym, signal_id=signal.pk)
            match_detect(signal_id=signal.pk)
    return set(LOOKED_UP) | set(PARENTS)


def test_no_plain_bsn_is_stored_anywhere_after_a_realistic_run(realistic_run):
    assert LogEntry.objects.filter(action="brp_lookup").count() == len(LOOKED_UP)
    assert Signal.objects.count() > len(LOOKED_UP)
    assert plain_bsns_in_database(realistic_run) == []


def test_the_scan_finds_a_bsn_that_was_stored_in_plain_text(realistic_run):
    with transaction.atomic():
        log_event(action="careless", details_note=f"bsn {LOOKED_UP[1][:4]}.{LOOKED_UP[1][4:]}")
        found = plain_bsns_in_database(realistic_run)
        transaction.set_rollback(True)
    assert ("audit_logentry", "details", LOOKED_UP[1]) in found

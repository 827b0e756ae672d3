"""Migration 0002 chains the rows written before the logbook had a chain, in id order, with the hash of its day.

It must compute that hash with the code of its day (the unkeyed `legacy_entry_hash`), not with the live
`entry_hash`, whose signature and key changed in 0004: a database restored from before 0002 must still migrate.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.chain import GENESIS_HASH, legacy_entry_hash

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_CHAIN = [("audit", "0001_initial")]
WITH_THE_CHAIN = [("audit", "0002_logbook_hash_chain")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture
def before_the_chain():
    _migrate(BEFORE_THE_CHAIN)
    yield
    executor = MigrationExecutor(connection)
    if ("audit", "0002_logbook_hash_chain") not in executor.loader.applied_migrations:
        with connection.cursor() as cursor:  # no append-only trigger before 0002: the test's rows can go
            cursor.execute("DELETE FROM audit_logentry")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back at its newest migration


def _insert(action: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_logentry (created_at, action, actor_label, youth_pseudonym, details)"
            " VALUES (now(), %s, 'systeem', '', '{}') RETURNING id, created_at",
            [action],
        )
        entry_id, created_at = cursor.fetchone()
    row = {"id": entry_id, "created_at": created_at, "action": action, "actor_label": "systeem"}
    row.update(actor_id=None, ip_address=None, region_id=None, youth_pseudonym="", signal_id=None, details={})
    return row


def test_rows_written_before_the_chain_are_chained_in_id_order_with_the_hash_of_that_day(before_the_chain):
    rows = [_insert("signal_placed"), _insert("signal_viewed")]
    _migrate(WITH_THE_CHAIN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, previous_hash, entry_hash FROM audit_logentry ORDER BY id")
        chained = cursor.fetchall()
    previous = GENESIS_HASH
    for row, (entry_id, previous_hash, digest) in zip(rows, chained, strict=True):
        assert entry_id == row["id"] and previous_hash == previous
        assert digest == legacy_entry_hash(previous, row)
        previous = digest

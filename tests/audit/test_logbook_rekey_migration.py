"""Migration 0004 re-chains the rows of the unkeyed chain under the key, and records what it found in that chain."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.chain import GENESIS_HASH, legacy_entry_hash
from audit.models import LogEntry
from audit.selectors import logbook_chain_check

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0003_logbook_truncate_only_in_test_databases")]
AFTER = [("audit", "0004_logbook_keyed_chain_sealed_after_commit")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _insert_unkeyed_chain(actions, *, tamper_at=None):
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for n, action in enumerate(actions):
            cursor.execute(
                "INSERT INTO audit_logentry (created_at, action, actor_label, youth_pseudonym, details, previous_hash,"
                " entry_hash) VALUES (now(), %s, 'systeem', '', '{}', '', '') RETURNING id, created_at",
                [action],
            )
            entry_id, created_at = cursor.fetchone()
            row = {"id": entry_id, "created_at": created_at, "action": action, "actor_label": "systeem"}
            row.update(actor_id=None, ip_address=None, region_id=None, youth_pseudonym="", signal_id=None, details={})
            digest = legacy_entry_hash(previous, row)
            cursor.execute("ALTER TABLE audit_logentry DISABLE TRIGGER USER")
            cursor.execute(
                "UPDATE audit_logentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
                [previous, "0" * 64 if n == tamper_at else digest, entry_id],
            )
            cursor.execute("ALTER TABLE audit_logentry ENABLE TRIGGER USER")
            previous = digest


@pytest.fixture
def before_the_key():
    _migrate(BEFORE)
    yield
    _migrate(AFTER)


def test_existing_rows_are_rechained_under_the_key_with_the_old_chains_state_recorded(before_the_key):
    _insert_unkeyed_chain(["signal_placed", "signal_viewed", "signal_ended"])
    _migrate(AFTER)
    actions = list(LogEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["signal_placed", "signal_viewed", "signal_ended", "logbook_rekeyed"]
    rekeyed = LogEntry.objects.get(action="logbook_rekeyed")
    assert rekeyed.details["unkeyed_rows_intact"] == 3 and rekeyed.details["unkeyed_chain_broken_at"] is None
    report = logbook_chain_check()
    assert report.intact and report.checked == 4 and report.pending == 0


def test_a_broken_unkeyed_chain_is_recorded_not_blessed_silently(before_the_key):
    _insert_unkeyed_chain(["signal_placed", "signal_viewed", "signal_ended"], tamper_at=1)
    second = LogEntry.objects.order_by("id").values_list("id", flat=True)[1]
    _migrate(AFTER)
    rekeyed = LogEntry.objects.get(action="logbook_rekeyed")
    assert rekeyed.details["unkeyed_rows_intact"] == 1 and rekeyed.details["unkeyed_chain_broken_at"] == second

"""The logbook is append-only in the database and chained by hash; logbook_verify finds the first tampered row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH, entry_hash
from audit.models import LogEntry
from audit.selectors import logbook_chain_check
from audit.services import log_event

pytestmark = pytest.mark.django_db


def _three_entries():
    return [log_event(action=f"test_{n}", region_id=1, signal_id=n, count=n) for n in range(3)]


def _tamper(sql, params):
    """What someone with database rights could do: switch the trigger off for one statement."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_logentry DISABLE TRIGGER audit_logentry_no_update_delete")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_logentry ENABLE TRIGGER audit_logentry_no_update_delete")


def test_altering_a_logbook_row_is_refused_by_the_database():
    entry = log_event(action="signal_placed", region_id=1)
    with pytest.raises(DatabaseError, match="alleen aan te vullen"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(action="signal_ended")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.actor_label = "iemand anders"
        entry.save()
    entry.refresh_from_db()
    assert entry.action == "signal_placed"


def test_deleting_a_logbook_row_is_refused_by_the_database():
    entry = log_event(action="signal_placed", region_id=1)
    with pytest.raises(DatabaseError, match="DELETE"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_truncating_the_logbook_is_refused_unless_the_connection_is_a_test_runner():
    log_event(action="signal_placed", region_id=1)
    with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL verwijsindex.logbook_truncate_allowed = 'off'")
            cursor.execute("TRUNCATE audit_logentry")
    assert LogEntry.objects.exists()


def test_each_entry_is_chained_to_the_previous_one():
    first, second, third = _three_entries()
    first_previous = LogEntry.objects.filter(pk__lt=first.pk).order_by("-pk").values_list("entry_hash", flat=True)
    assert first.previous_hash == (first_previous.first() or GENESIS_HASH)
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    stored = LogEntry.objects.filter(pk=third.pk).values().get()
    assert entry_hash(third.previous_hash, stored) == third.entry_hash


def test_logbook_verify_reports_an_intact_chain(capsys):
    _three_entries()
    call_command("logbook_verify")
    assert "Logboek in orde" in capsys.readouterr().out


def test_logbook_verify_names_the_first_altered_row():
    first, second, third = _three_entries()
    _tamper("UPDATE audit_logentry SET actor_label = 'vervalst' WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"regel {second.pk}: de inhoud is gewijzigd"):
        call_command("logbook_verify")


def test_a_removed_row_breaks_the_chain_at_the_next_row():
    first, second, third = _three_entries()
    _tamper("DELETE FROM audit_logentry WHERE id = %s", [second.pk])
    report = logbook_chain_check()
    assert (report.broken_id, report.problem) == (third.pk, "previous_hash")


def test_rewriting_a_row_together_with_its_hash_still_breaks_the_next_link():
    first, second, third = _three_entries()
    forged = LogEntry.objects.filter(pk=second.pk).values().get()
    forged["details"] = {"count": 99}
    _tamper(
        "UPDATE audit_logentry SET details = %s::jsonb, entry_hash = %s WHERE id = %s",
        ['{"count": 99}', entry_hash(forged["previous_hash"], forged), second.pk],
    )
    assert logbook_chain_check().broken_id == third.pk


def test_details_with_dates_and_tuples_hash_the_same_after_the_round_trip():
    import datetime

    entry = log_event(action="x", on=datetime.date(2026, 1, 2), ids=(1, 2), ip="n/a")
    assert entry.details == {"on": "2026-01-02", "ids": [1, 2], "ip": "n/a"}
    assert logbook_chain_check().intact

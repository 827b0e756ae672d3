"""The logbook is append-only in the database; the sealer chains committed entries by keyed hash, in order."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH, entry_hash
from audit.keys import settings_hmac_ring
from audit.models import LogEntry
from audit.selectors import logbook_chain_check
from audit.services import log_event, logbook_seal

pytestmark = pytest.mark.django_db


def _three_sealed_entries():
    entries = [log_event(action=f"test_{n}", region_id=1, signal_id=n, count=n) for n in range(3)]
    logbook_seal()
    return [LogEntry.objects.get(pk=entry.pk) for entry in entries]


def test_altering_a_logbook_row_is_refused_by_the_database():
    entry = log_event(action="signal_placed", region_id=1)
    with pytest.raises(DatabaseError, match="alleen aan te vullen"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(action="signal_ended")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.actor_label = "iemand anders"
        entry.save()
    entry.refresh_from_db()
    assert entry.action == "signal_placed"


def test_the_database_lets_only_the_seal_through_and_only_once():
    entry = log_event(action="signal_placed", region_id=1)
    with pytest.raises(DatabaseError, match="UPDATE"), transaction.atomic():  # sealing while changing content
        LogEntry.objects.filter(pk=entry.pk).update(seq=10**9, entry_hash="f" * 64, action="signal_ended")
    logbook_seal()
    with pytest.raises(DatabaseError, match="UPDATE"), transaction.atomic():  # sealing again
        LogEntry.objects.filter(pk=entry.pk).update(entry_hash="f" * 64)
    with pytest.raises(DatabaseError, match="UPDATE"), transaction.atomic():  # unsealing
        LogEntry.objects.filter(pk=entry.pk).update(seq=None, entry_hash="")


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


def test_an_entry_is_written_unchained_and_sealed_after_the_commit():
    entry = log_event(action="signal_placed", region_id=1)
    assert (entry.seq, entry.entry_hash) == (None, "")
    assert logbook_seal() >= 1
    entry.refresh_from_db()
    assert entry.seq is not None and len(entry.entry_hash) == 64


def test_each_sealed_entry_is_chained_to_the_previous_one_by_a_keyed_hash():
    first, second, third = _three_sealed_entries()
    before = LogEntry.objects.filter(seq=first.seq - 1).values_list("entry_hash", flat=True).first()
    assert first.previous_hash == (before or GENESIS_HASH)
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    ring = settings_hmac_ring()
    assert third.key_version == ring.current_version
    stored = LogEntry.objects.filter(pk=third.pk).values().get()
    assert entry_hash(ring.current, third.previous_hash, stored) == third.entry_hash
    assert entry_hash(b"another key" * 4, third.previous_hash, stored) != third.entry_hash


def test_sealing_twice_seals_nothing_the_second_time():
    _three_sealed_entries()
    assert logbook_seal() == 0


def test_logbook_verify_reports_an_intact_chain(capsys):
    _three_sealed_entries()
    call_command("logbook_verify")
    out = capsys.readouterr().out
    assert "Logboek in orde: 3 regels gecontroleerd" in out
    assert "laatste controlepunt" in out and ": 3 regels" in out  # the head the sealer keeps outside


def test_an_unsealed_entry_is_counted_as_waiting(capsys):
    _three_sealed_entries()
    log_event(action="late")
    call_command("logbook_verify")
    assert "1 regels wachten op verzegeling" in capsys.readouterr().out


def test_details_with_dates_and_tuples_hash_the_same_after_the_round_trip():
    entry = log_event(action="x", on=datetime.date(2026, 1, 2), ids=(1, 2), ip="n/a")
    assert entry.details == {"on": "2026-01-02", "ids": [1, 2], "ip": "n/a"}
    logbook_seal()
    assert logbook_chain_check().intact

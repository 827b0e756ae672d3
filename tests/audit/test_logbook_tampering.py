"""logbook_verify against someone who holds the database: owner of the table, able to switch its trigger off.

Each test does what such an attacker would, on the real PostgreSQL, and expects logbook_verify to name it. The
attacker has the database but not the HMAC key nor the checkpoint key (both live in the environment), nor the
checkpoint folder (another host in production).
"""

import base64
import hashlib
import importlib
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, canonical_content, entry_hash
from audit.checkpoints import Checkpoint, FileCheckpointStore, checkpoint_sign
from audit.keys import settings_hmac_ring, signing_key_ring
from audit.models import LogEntry
from audit.selectors import logbook_chain_check
from audit.services import SealRefused, log_event, logbook_checkpoint_send, logbook_checkpoint_write, logbook_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    """Five sealed entries, and a signed checkpoint outside the database that counts them."""
    for n in range(5):
        log_event(action="signal_viewed", region_id=1, signal_id=n, youth_pseudonym=f"p{n}")
    logbook_seal()
    logbook_checkpoint_write()
    return list(LogEntry.objects.order_by("seq"))


def _as_owner(*statements):
    """The table owner switches the append-only trigger off, does its work and switches it on again."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_logentry DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_logentry ENABLE TRIGGER USER")


def _verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("logbook_verify")


def test_the_untouched_logbook_verifies_against_its_checkpoint(five, capsys):
    call_command("logbook_verify")
    out = capsys.readouterr().out
    assert "Logboek in orde: 5 regels gecontroleerd" in out
    assert "laatste controlepunt" in out


def test_a_row_rewritten_with_every_unkeyed_hash_recomputed_is_found(five):
    """The old attack: change a row, recompute SHA-256 links for it and every row after it."""
    target = five[2]
    rows = list(LogEntry.objects.order_by("seq").values())
    rows[2]["actor_label"] = "vervalst"
    previous = rows[1]["entry_hash"]
    statements = []
    for row in rows[2:]:
        row["previous_hash"] = previous
        row["entry_hash"] = previous = hashlib.sha256((previous + canonical_content(row)).encode()).hexdigest()
        statements.append(
            (
                "UPDATE audit_logentry SET actor_label = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
                [row["actor_label"], row["previous_hash"], row["entry_hash"], row["id"]],
            )
        )
    _as_owner(*statements)
    report = logbook_chain_check()
    assert (report.broken_id, report.problem) == (target.pk, "content")
    _verify_fails(f"regel {target.pk}: de inhoud of de hash is gewijzigd")


def test_a_row_rewritten_with_hashes_under_a_guessed_key_is_found(five):
    target = five[1]
    row = LogEntry.objects.filter(pk=target.pk).values().get()
    row["details"] = {"count": 99}
    _as_owner(
        (
            "UPDATE audit_logentry SET details = %s::jsonb, entry_hash = %s WHERE id = %s",
            ['{"count": 99}', entry_hash(b"guessed-key" * 4, row["previous_hash"], row), target.pk],
        )
    )
    assert logbook_chain_check().problem == "content"


def test_a_deleted_tail_is_found_through_the_checkpoint(five):
    _as_owner(("DELETE FROM audit_logentry WHERE seq >= %s", [five[3].seq]))
    report = logbook_chain_check()
    assert (report.checked, report.problem) == (five[2].seq, "checkpoint_tail")
    _verify_fails("er ontbreken regels aan het eind")


def test_after_a_deleted_tail_the_sealer_stops_instead_of_carrying_on_from_the_shortened_chain(five):
    _as_owner(("DELETE FROM audit_logentry WHERE seq = %s", [five[4].seq]))
    log_event(action="signal_viewed", signal_id=99)
    with pytest.raises(SealRefused):
        logbook_seal()
    assert LogEntry.objects.get(signal_id=99).seq is None
    assert logbook_chain_check().problem == "checkpoint_tail"


def test_entries_after_the_last_checkpoint_unsealed_and_rewritten_are_not_resealed(five):
    """Set the chain columns of the newest entries back to empty, change them, and let the sealer chain them anew
    under its key: the head kept outside after every batch stops it, and logbook_verify names the shorter chain."""
    for n in range(3):
        log_event(action="signal_viewed", signal_id=10 + n)
    logbook_seal()  # entries 6-8: sealed, not yet in a ten-minute checkpoint, but in the head
    tail = list(LogEntry.objects.filter(seq__gte=7).values_list("pk", flat=True))
    _as_owner(
        (
            "UPDATE audit_logentry SET seq = NULL, key_version = '', previous_hash = '', entry_hash = '',"
            " actor_label = 'vervalst' WHERE id = ANY(%s)",
            [tail],
        )
    )
    with pytest.raises(SealRefused):
        logbook_seal()
    report = logbook_chain_check()
    assert (report.checked, report.problem) == (6, "checkpoint_tail")


def test_a_truncated_logbook_is_not_intact(five):
    _as_owner(("TRUNCATE audit_logentry", []))
    assert LogEntry.objects.count() == 0
    report = logbook_chain_check()
    assert not report.intact and report.checked == 0 and report.problem == "checkpoint_tail"
    _verify_fails("of het logboek is geleegd")


def test_a_row_deleted_from_the_middle_is_a_gap(five):
    _as_owner(("DELETE FROM audit_logentry WHERE id = %s", [five[2].pk]))
    report = logbook_chain_check()
    assert (report.broken_id, report.problem) == (five[3].pk, "gap")
    _verify_fails("er ontbreken regels in de keten")


def test_a_deleted_row_with_the_rest_renumbered_and_relinked_is_found(five):
    """Close the gap: move every later row one place down and link it to the row before the deleted one."""
    statements = [("DELETE FROM audit_logentry WHERE id = %s", [five[2].pk])]
    for entry in five[3:]:
        statements.append(("UPDATE audit_logentry SET seq = seq - 1 WHERE id = %s", [entry.pk]))
    statements.append(("UPDATE audit_logentry SET previous_hash = %s WHERE id = %s", [five[1].entry_hash, five[3].pk]))
    _as_owner(*statements)
    report = logbook_chain_check()
    assert (report.broken_id, report.problem) == (five[3].pk, "content")


def test_rows_inserted_out_of_turn_into_the_chain_are_found(five):
    """A row forged straight into the chain, with a made-up hash: the keyed hash does not hold."""
    forged = {**LogEntry.objects.filter(pk=five[4].pk).values().get(), "seq": five[4].seq + 1}
    forged["previous_hash"] = five[4].entry_hash
    forged["entry_hash"] = hashlib.sha256(b"made up").hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_logentry (created_at, action, actor_label, details, seq, key_version, previous_hash,"
            " entry_hash, youth_pseudonym) VALUES (now(), 'signal_destroyed', 'systeem', '{}', %s, %s, %s, %s, '')",
            [forged["seq"], forged["key_version"], forged["previous_hash"], forged["entry_hash"]],
        )
    assert logbook_chain_check().problem == "content"


def test_a_forged_checkpoint_is_named(five, checkpoint_dir):
    """Someone drops a checkpoint of their own (signed with another key) into the folder."""
    other_ring = signing_key_ring(["dev-1:" + base64.b64encode(b"x" * 32).decode()])
    forged = checkpoint_sign(seq=2, head=five[1].entry_hash, at=timezone.now(), ring=other_ring)
    FileCheckpointStore(checkpoint_dir).save(forged)
    assert logbook_chain_check().problem == "checkpoint_signature"
    _verify_fails("een controlepunt is vervalst")


def test_a_checkpoint_file_altered_after_signing_is_named(five, checkpoint_dir):
    (path,) = checkpoint_dir.glob("checkpoint-*.json")
    altered = Checkpoint.from_text(path.read_text())
    path.chmod(0o644)
    path.write_text(Checkpoint(**{**altered.__dict__, "seq": 2}).as_text())
    assert logbook_chain_check().problem == "checkpoint_signature"


def test_rows_rewritten_so_the_checkpointed_head_differs_are_found(five):
    """With the HMAC key leaked, the attacker re-seals everything; the checkpoint's head still gives it away."""
    rows = list(LogEntry.objects.order_by("seq").values())
    rows[3]["actor_label"] = "vervalst"
    ring = settings_hmac_ring()
    previous = rows[2]["entry_hash"]
    statements = []
    for row in rows[3:]:
        row["previous_hash"] = previous
        row["entry_hash"] = previous = entry_hash(ring.current, previous, row)
        statements.append(
            (
                "UPDATE audit_logentry SET actor_label = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
                [row["actor_label"], row["previous_hash"], row["entry_hash"], row["id"]],
            )
        )
    _as_owner(*statements)
    assert logbook_chain_check().problem == "checkpoint_head"


def test_an_empty_logbook_without_checkpoints_is_a_fresh_start_and_says_it_has_no_anchor(capsys):
    assert not LogEntry.objects.exists()
    call_command("logbook_verify")
    assert "GEEN controlepunt gevonden" in capsys.readouterr().out


def test_the_checkpoint_refuses_to_sign_a_chain_that_lost_its_tail(five):
    _as_owner(("DELETE FROM audit_logentry WHERE seq = %s", [five[4].seq]))
    with pytest.raises(SealRefused):
        logbook_checkpoint_write()


def test_the_genesis_checkpoint_of_an_empty_chain_verifies():
    checkpoint = logbook_checkpoint_write()
    assert (checkpoint.seq, checkpoint.head) == (0, GENESIS_HASH)
    assert logbook_chain_check().intact


# The stopgap of audit/migrations/0003 (kept by 0004): the session setting lets TRUNCATE through only in a
# database whose name starts with test_. Here a database named otherwise, with the logbook's trigger as migrated.
def test_truncate_with_the_session_setting_is_refused_in_a_database_not_named_test():
    migrations = "audit.migrations."
    trigger_sql = importlib.import_module(migrations + "0002_logbook_hash_chain").APPEND_ONLY_SQL
    function_sql = importlib.import_module(migrations + "0004_logbook_keyed_chain_sealed_after_commit").APPEND_ONLY_SQL
    settings_dict = connection.settings_dict
    name = f"logbook_attack_{uuid.uuid4().hex[:8]}"
    params = {
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dbname=name, autocommit=True, **params) as attacker:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT string_agg(format('%I %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY "
                    "attnum) FROM pg_attribute WHERE attrelid = 'audit_logentry'::regclass AND attnum > 0 AND "
                    "NOT attisdropped"
                )
                columns = cursor.fetchone()[0]
            attacker.execute(f"CREATE TABLE audit_logentry ({columns})")
            attacker.execute(function_sql)
            attacker.execute("CREATE TRIGGER" + trigger_sql.split("CREATE TRIGGER", 1)[1])
            attacker.execute("INSERT INTO audit_logentry (id, action) VALUES (1, 'signal_placed')")
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="TRUNCATE"):
                with attacker.transaction():
                    attacker.execute("SET LOCAL verwijsindex.logbook_truncate_allowed = 'on'")
                    attacker.execute("TRUNCATE audit_logentry")
            assert attacker.execute("SELECT count(*) FROM audit_logentry").fetchone()[0] == 1
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_in_a_test_database_the_runner_may_still_empty_the_table():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone()[0].startswith("test_")
        cursor.execute("TRUNCATE audit_logentry")
        transaction.set_rollback(True)


def test_altering_a_sealed_row_without_disabling_the_trigger_is_refused(five):
    with pytest.raises(DatabaseError, match="UPDATE"), transaction.atomic():
        LogEntry.objects.filter(pk=five[0].pk).update(actor_label="vervalst")


OLD_KEY = "2026-1:" + "o" * 40
NEW_KEY = "2026-2:" + "n" * 40


def test_after_rotation_old_entries_check_with_their_key_and_the_chain_never_goes_back_to_it(settings):
    settings.LOGBOOK_HMAC_KEYS = [OLD_KEY]
    log_event(action="under_the_old_key")
    logbook_seal()
    settings.LOGBOOK_HMAC_KEYS = [NEW_KEY, OLD_KEY]  # rotated: the new key first, the old one kept
    log_event(action="under_the_new_key")
    logbook_seal()
    assert list(LogEntry.objects.order_by("seq").values_list("key_version", flat=True)) == ["2026-1", "2026-2"]
    assert logbook_chain_check().intact
    # someone holding the old key (leaked after rotation) seals a forged entry with it
    settings.LOGBOOK_HMAC_KEYS = [OLD_KEY]
    forged = log_event(action="forged_with_the_old_key")
    logbook_seal()
    settings.LOGBOOK_HMAC_KEYS = [NEW_KEY, OLD_KEY]
    report = logbook_chain_check()
    assert (report.problem, report.broken_id) == ("key", forged.pk)


def test_an_entry_naming_a_key_that_is_not_configured_is_named(five, settings):
    settings.LOGBOOK_HMAC_KEYS = [NEW_KEY]  # the key the entries were sealed with is gone
    assert (logbook_chain_check().problem, logbook_chain_check().broken_id) == ("key", five[0].pk)


def _wipe_folder(folder):
    for path in folder.iterdir():
        path.chmod(0o644)
        path.unlink()


def test_a_deleted_tail_and_an_emptied_checkpoint_folder_are_found_through_a_second_store(
    five, settings, checkpoint_dir, tmp_path
):
    """The attacker holds the database and the first folder too: the other store (another host) still counts."""
    settings.LOGBOOK_CHECKPOINT_STORES = [f"file:{tmp_path}"]
    logbook_checkpoint_write()  # every checkpoint goes to each store
    assert list(tmp_path.glob("checkpoint-*.json")) and list(checkpoint_dir.glob("checkpoint-*.json"))
    _as_owner(("DELETE FROM audit_logentry WHERE seq >= %s", [five[3].seq]))
    _wipe_folder(checkpoint_dir)
    assert logbook_chain_check().problem == "checkpoint_tail"


def test_a_deleted_tail_with_every_store_emptied_is_found_through_the_mailed_checkpoint(
    five, checkpoint_dir, tmp_path, region
):
    """The daily e-mail the process managers keep, handed to logbook_verify, is the last anchor."""
    from notifications.models import Notification
    from notifications.services import notification_render
    from tests.accounts.factories import process_manager

    process_manager(region)
    logbook_checkpoint_send()
    message = notification_render(notification=Notification.objects.get(kind="logbook_checkpoint"))
    saved = tmp_path / "controlepunt.eml"
    saved.write_text(message.body)
    _as_owner(("DELETE FROM audit_logentry WHERE seq >= %s", [five[3].seq]))
    _wipe_folder(checkpoint_dir)
    call_command("logbook_verify")  # without the e-mail nothing anchors the count: it cannot tell
    with pytest.raises(CommandError, match="er ontbreken regels aan het eind"):
        call_command("logbook_verify", checkpoint=[str(saved)])


def test_a_checkpoint_handed_in_that_was_altered_is_named(five, tmp_path):
    checkpoint = logbook_checkpoint_write()
    altered = tmp_path / "controlepunt.json"
    altered.write_text(checkpoint.as_line().replace(f'"seq": {checkpoint.seq}', '"seq": 2'))
    with pytest.raises(CommandError, match="vervalst"):
        call_command("logbook_verify", checkpoint=[str(altered)])


def test_an_unknown_kind_of_checkpoint_store_stops_the_start(settings):
    from django.core.exceptions import ImproperlyConfigured

    from audit.checkpoints import checkpoint_stores

    settings.LOGBOOK_CHECKPOINT_STORES = ["ftp://elders/controlepunten"]
    with pytest.raises(ImproperlyConfigured, match="LOGBOOK_CHECKPOINT_STORES"):
        checkpoint_stores()

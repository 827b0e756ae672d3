"""Signed checkpoints outside the database: written to the folder, e-mailed daily to every region's process managers."""

import base64
import datetime
import json
import stat

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command

from audit.checkpoints import Checkpoint, FileCheckpointStore, checkpoint_signature_valid
from audit.keys import settings_signing_ring
from audit.models import LogEntry
from audit.services import log_event, logbook_checkpoint_send, logbook_checkpoint_write, logbook_seal
from audit.tasks import logbook_checkpoint_task
from notifications.models import Notification
from notifications.services import notification_render
from persons.bsn import bsn_pseudonym
from tests.accounts.factories import process_manager

pytestmark = pytest.mark.django_db


def test_the_sealer_keeps_the_head_outside_the_database_after_every_batch(checkpoint_dir):
    for n in range(5):
        log_event(action="signal_viewed", signal_id=n)
    logbook_seal(batch_size=2)
    head = Checkpoint.from_text((checkpoint_dir / "head.json").read_text())
    assert head.seq == 5 and head.head == LogEntry.objects.get(seq=5).entry_hash
    assert checkpoint_signature_valid(head, settings_signing_ring())
    assert not list(checkpoint_dir.glob("checkpoint-*.json"))  # the kept checkpoints are beat's


def test_a_checkpoint_seals_what_is_pending_and_is_written_read_only(checkpoint_dir):
    for n in range(3):
        log_event(action="signal_viewed", signal_id=n)
    assert logbook_checkpoint_task() == 3
    (path,) = checkpoint_dir.glob("checkpoint-*.json")
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    checkpoint = Checkpoint.from_text(path.read_text())
    assert checkpoint.seq == 3 and len(checkpoint.head) == 64
    assert checkpoint_signature_valid(checkpoint, settings_signing_ring())


def test_each_checkpoint_is_a_new_file(checkpoint_dir):
    logbook_checkpoint_write()
    log_event(action="signal_viewed")
    logbook_checkpoint_write()
    seqs = [Checkpoint.from_text(path.read_text()).seq for path in sorted(checkpoint_dir.glob("checkpoint-*.json"))]
    assert seqs == [0, 1]


def test_the_daily_checkpoint_goes_to_the_process_managers_of_every_region_without_personal_data(region, other_region):
    here, there = process_manager(region), process_manager(other_region)
    pseudonym = bsn_pseudonym("111222333")
    log_event(action="signal_placed", region_id=region.pk, youth_pseudonym=pseudonym, signal_id=7, reason="x")
    checkpoint = logbook_checkpoint_send()
    notices = Notification.objects.filter(kind="logbook_checkpoint")
    assert {notice.recipient_id for notice in notices} == {here.pk, there.pk}
    for notice in notices:
        assert notice.context["seq"] == checkpoint.seq and notice.context["head"] == checkpoint.head
        assert notice.context["signature"] == checkpoint.signature
        text = json.dumps(notice.context) + notice.subject
        assert pseudonym not in text and "111222333" not in text and "signal_placed" not in text
    message = notification_render(notification=notices.get(recipient=here))
    assert str(checkpoint.seq) in message.body and checkpoint.head in message.body
    logbook_checkpoint_send()  # the task run again the same day (acks_late): nobody gets it twice
    assert Notification.objects.filter(kind="logbook_checkpoint").count() == 2


def test_the_command_writes_a_checkpoint_and_prints_public_keys_that_check_it(checkpoint_dir, capsys):
    log_event(action="signal_viewed")
    call_command("logbook_checkpoint")
    assert "Controlepunt geschreven: 1 regels" in capsys.readouterr().out
    call_command("logbook_checkpoint", "--public-keys")
    version, key_text = capsys.readouterr().out.strip().splitlines()[0].split(": ")
    (path,) = checkpoint_dir.glob("checkpoint-*.json")
    checkpoint = Checkpoint.from_text(path.read_text())
    assert checkpoint.key == version
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key_text))
    public.verify(base64.b64decode(checkpoint.signature), checkpoint.message)  # raises when it does not hold


def test_verify_warns_when_entries_wait_long_for_the_sealer(capsys):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        log_event(action="signal_viewed")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 11, tzinfo=datetime.UTC), tick=False):
        call_command("logbook_verify")
    assert "draaien de Celery-worker en beat" in capsys.readouterr().out


def test_before_each_seal_only_the_head_and_the_newest_checkpoint_are_read(checkpoint_dir, monkeypatch):
    for _ in range(3):
        log_event(action="signal_viewed")
        logbook_checkpoint_write()
    read = []
    original = FileCheckpointStore.load

    def counting_load(self, **kwargs):
        files = original(self, **kwargs)
        read.extend(name for name, _text in files)
        return files

    monkeypatch.setattr(FileCheckpointStore, "load", counting_load)
    log_event(action="signal_viewed")
    logbook_seal()
    newest = sorted(path.name for path in checkpoint_dir.glob("checkpoint-*.json"))[-1]
    assert sorted(set(read)) == sorted({newest, "head.json"})


def test_beat_signs_a_checkpoint_every_ten_minutes_and_mails_one_every_day():
    from celery.schedules import crontab

    from verwijsindex.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    daily = schedule["audit.logbook_checkpoint_send"]
    assert isinstance(daily, crontab) and daily.hour == {6} and daily.minute == {5}
    assert schedule["audit.logbook_checkpoint"].minute == set(range(0, 60, 10))
    assert {"audit.logbook_checkpoint_send", "audit.logbook_checkpoint"} <= set(app.tasks.keys())

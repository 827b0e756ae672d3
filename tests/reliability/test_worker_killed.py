"""A Celery worker killed while it sends an e-mail loses nothing: the row stays unsent, the sweep sends it,
and the recipient gets it exactly once.

Exactly once holds because a message counts as delivered only when the mail server answered 250 to it
(SMTP's own rule): a worker killed before that answer has delivered nothing. Documented exception:
a worker killed in the instant between the provider's 250 and the commit that marks the row sent
causes one duplicate; the outbox chooses a rare duplicate over a lost e-mail.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from notifications.models import Notification
from notifications.services import notification_enqueue, notifications_send_pending
from tests.accounts.factories import professional
from tests.matching.test_reliability import RedisServer, _free_port
from tests.notifications.conftest import _reset_broker_pools
from verwijsindex.celery import app as celery_app


class SlowMailServer:
    """An SMTP server that takes its time before answering 250, and keeps only what it answered 250 to."""

    def __init__(self, delay: float):
        self.delay = delay
        self.delivered: list[bytes] = []
        self.receiving = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.receiving.set()
        await asyncio.sleep(self.delay)
        if server.transport is None or server.transport.is_closing():
            return "421 client went away"
        self.delivered.append(envelope.content)
        self.delay = 0
        return "250 accepted"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_sending_loses_no_e_mail_and_sends_none_twice(tmp_path, settings):
    mail_server = SlowMailServer(delay=30)
    smtp = Controller(mail_server, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    redis = RedisServer(tmp_path, _free_port())
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    old_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    _reset_broker_pools()
    worker = None
    try:
        database = connection.settings_dict
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.dev",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "verwijsindex",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=django_settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        recipient = professional()
        notification_enqueue(
            recipient=recipient,
            kind="test",
            subject="Signaal VI-0000001: een match",
            template="persons/email/enumeration_alert",
            context={"recipient_name": "Piet", "actor_name": "Kees", "looked_up": 1, "log_entry_id": 1},
            dedupe_key="worker-kill-test",
        )
        assert mail_server.receiving.wait(60), "the worker never started sending"

        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        time.sleep(0.5)
        row = Notification.objects.get(dedupe_key="worker-kill-test")
        assert row.sent_at is None, "a killed send must not count as sent"
        assert mail_server.delivered == []

        assert notifications_send_pending() == 1
        assert notifications_send_pending() == 0
        row.refresh_from_db()
        assert row.sent_at is not None
        assert len(mail_server.delivered) == 1
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        smtp.stop()
        redis.stop()
        celery_app.conf.broker_url = old_broker
        _reset_broker_pools()

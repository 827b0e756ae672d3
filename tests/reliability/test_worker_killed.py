"""A Celery worker killed while it sends an e-mail loses nothing: the row stays unsent, the sweep sends it,
and the recipient gets it exactly once.

Exactly once holds because a message counts as delivered only when the mail server answered 250 to it
(SMTP's own rule): a worker killed before that answer has delivered nothing. Documented exception:
a worker killed in the instant between the provider's 250 and the commit that marks the row sent
causes one duplicate; the outbox chooses a rare duplicate over a lost e-mail.
"""

import asyncio
import signal
import threading
import time

import pytest

from notifications.models import Notification
from notifications.services import notification_enqueue, notifications_send_pending
from tests.accounts.factories import professional

from .servers import celery_worker_sending_to


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
    with celery_worker_sending_to(mail_server, tmp_path, settings) as worker:
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

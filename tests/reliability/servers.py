"""Control of the project-local PostgreSQL and Redis that `make test` started, for the failure tests."""

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.matching.test_reliability import RedisServer, _free_port
from tests.notifications.conftest import _reset_broker_pools
from verwijsindex.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)


def _devservices():
    spec = importlib.util.spec_from_file_location("devservices", ROOT / "scripts" / "devservices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def local_postgres_dir() -> Path | None:
    """The data folder of the project-local server the tests use, or None when they use another server."""
    devservices = _devservices()
    port_file = devservices.DATA / "postgres.port"
    if not port_file.exists() or not (devservices.PG_DIR / "postmaster.pid").exists():
        return None
    if str(urlparse(os.environ.get("DATABASE_URL", "")).port) != port_file.read_text().strip():
        return None
    return devservices.PG_DIR


def postgres_restart_immediately() -> None:
    """Crash-stop and start the server: every connection dies, committed data survives (WAL recovery)."""
    devservices = _devservices()
    run_as = devservices._as_pg_user()
    pg_ctl = devservices._pg_bin() / "pg_ctl"
    subprocess.run(
        [pg_ctl, "-D", devservices.PG_DIR, "-m", "immediate", "-w", "stop"],
        check=True,
        stdout=subprocess.DEVNULL,
        **run_as,
    )
    devservices.postgres_up()


@contextmanager
def celery_worker_sending_to(mail_handler, tmp_path: Path, test_settings) -> Iterator[subprocess.Popen]:
    """A real Celery worker (its own process, its own Redis broker) that sends e-mail to `mail_handler`, an aiosmtpd
    handler on 127.0.0.1; this process's settings send there too. Yields the worker's process, for the test to kill;
    afterwards the worker, the SMTP server and Redis are stopped and the broker is put back."""
    smtp = Controller(mail_handler, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    redis = RedisServer(tmp_path, _free_port())
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    old_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker
    test_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    test_settings.EMAIL_HOST, test_settings.EMAIL_PORT = "127.0.0.1", smtp.port
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
            [sys.executable, "-m", "celery", "-A", "verwijsindex", "worker", "--pool=solo", "--loglevel=WARNING",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        yield worker
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait(10)
        smtp.stop()
        redis.stop()
        celery_app.conf.broker_url = old_broker
        _reset_broker_pools()


@contextlib.contextmanager
def postgres_stopped():
    """The server stopped (fast shutdown: every connection closed) for the body of the with-block, then started."""
    devservices = _devservices()
    pg_ctl = devservices._pg_bin() / "pg_ctl"
    subprocess.run(
        [pg_ctl, "-D", devservices.PG_DIR, "-m", "fast", "-w", "stop"],
        check=True,
        stdout=subprocess.DEVNULL,
        **devservices._as_pg_user(),
    )
    try:
        yield
    finally:
        devservices.postgres_up()

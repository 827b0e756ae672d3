"""Control of the project-local PostgreSQL and Redis that `make test` started, for the failure tests."""

import contextlib
import importlib.util
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

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

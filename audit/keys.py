"""The logbook's two key rings, read from settings: HMAC keys for the chain, Ed25519 keys for the checkpoints.

Pure functions of the configured values (no models), so the production settings can check them at start-up.
"""

import base64
import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class LogbookKeyError(ValueError):
    """A key ring that is missing, malformed or too weak."""


@dataclass(frozen=True)
class KeyRing:
    """Versioned secrets, newest first: new entries use `current`, old ones are checked with their own version."""

    keys: dict[str, bytes]  # version -> secret, in the configured order (newest first)

    @property
    def current_version(self) -> str:
        return next(iter(self.keys))

    @property
    def current(self) -> bytes:
        return self.keys[self.current_version]

    def rank(self, version: str) -> int:
        """0 for the newest key, higher for older ones; a chain never goes back to an older key."""
        return list(self.keys).index(version)


def _pairs(name: str, values: list[str]) -> list[tuple[str, str]]:
    if not values:
        raise LogbookKeyError(f"{name} is not set.")
    pairs = []
    for value in values:
        version, separator, secret = value.strip().partition(":")
        if not separator or not version or not secret:
            raise LogbookKeyError(f"{name}: each key is written `<version>:<secret>`.")
        pairs.append((version, secret))
    if len({version for version, _ in pairs}) != len(pairs):
        raise LogbookKeyError(f"{name}: a version occurs twice.")
    return pairs


def hmac_key_ring(values: list[str]) -> KeyRing:
    pairs = _pairs("LOGBOOK_HMAC_KEYS", values)
    if any(len(secret) < 32 for _, secret in pairs):
        raise LogbookKeyError("LOGBOOK_HMAC_KEYS: each secret must be at least 32 characters long.")
    return KeyRing({version: secret.encode() for version, secret in pairs})


def signing_key_ring(values: list[str]) -> KeyRing:
    keys = {}
    for version, secret in _pairs("LOGBOOK_CHECKPOINT_KEYS", values):
        try:
            raw = base64.b64decode(secret, validate=True)
        except binascii.Error:
            raw = b""
        if len(raw) != 32:
            raise LogbookKeyError("LOGBOOK_CHECKPOINT_KEYS: each key is the base64 of 32 random bytes.")
        keys[version] = raw
    return KeyRing(keys)


def private_key(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key(raw: bytes) -> Ed25519PublicKey:
    return private_key(raw).public_key()


def public_key_text(raw: bytes) -> str:
    """The public half in base64, to hand to whoever checks the e-mailed checkpoints elsewhere."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(public_key(raw).public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def settings_hmac_ring() -> KeyRing:
    from django.conf import settings

    return hmac_key_ring(settings.LOGBOOK_HMAC_KEYS)


def settings_signing_ring() -> KeyRing:
    from django.conf import settings

    return signing_key_ring(settings.LOGBOOK_CHECKPOINT_KEYS)

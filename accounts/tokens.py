"""Small pieces that accounts' services, selectors and sign-in share: token hashes and client secrets at rest."""

import hashlib

from persons.bsn import key_ring

# The confirmed, token-less device that the dev shortcut logs a demo account in with. It can never
# verify a code, so it is harmless where the shortcut is off; enrolment ignores it.
DEV_SHORTCUT_DEVICE_NAME = "dev-shortcut"


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_secret_encrypt(secret: str) -> str:
    return key_ring().encrypt(secret.encode()).decode()

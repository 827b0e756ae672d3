"""The BSN: validation (elfproef), encryption at rest (MultiFernet key ring) and keyed pseudonyms (HMAC-SHA256)."""

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from stdnum.nl import bsn as stdnum_bsn

from .exceptions import BsnInvalid

_SEPARATORS = re.compile(r"[\s.\-]")


def bsn_normalise(value: str) -> str:
    """The BSN as nine digits (spaces, dots and dashes removed, leading zeros restored); raises BsnInvalid."""
    digits = _SEPARATORS.sub("", str(value or ""))
    if not digits.isdigit() or not 8 <= len(digits) <= 9:
        raise BsnInvalid()
    digits = digits.zfill(9)
    if not stdnum_bsn.is_valid(digits):
        raise BsnInvalid()
    return digits


@lru_cache(maxsize=8)
def _key_ring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("BSN_ENCRYPTION_KEYS is not configured")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def key_ring() -> MultiFernet:
    """The BSN key ring: the first key encrypts, every key decrypts (so keys can be rotated)."""
    return _key_ring(tuple(settings.BSN_ENCRYPTION_KEYS))


def bsn_encrypt(bsn: str) -> str:
    return key_ring().encrypt(bsn.encode()).decode()


def bsn_decrypt(token: str) -> str:
    return key_ring().decrypt(token.encode()).decode()


def bsn_reencrypt(token: str) -> str:
    """The same BSN encrypted under the newest key (MultiFernet.rotate)."""
    return key_ring().rotate(token.encode()).decode()


def pseudonym(value: str, *, kind: str = "bsn", key: str | None = None) -> str:
    """Keyed pseudonym (HMAC-SHA256, hex) of a BSN or BAG id; `kind` separates the two domains."""
    secret = (key if key is not None else settings.BSN_PSEUDONYM_KEY).encode()
    if not secret:
        raise RuntimeError("BSN_PSEUDONYM_KEY is not configured")
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def bsn_pseudonym(bsn: str, *, key: str | None = None) -> str:
    return pseudonym(bsn, kind="bsn", key=key)


def bag_pseudonym(bag_id: str, *, key: str | None = None) -> str:
    return pseudonym(bag_id, kind="bag", key=key)

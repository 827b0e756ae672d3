"""The keyed hash chain over the logbook: the canonical content of an entry and the HMAC linking it to the previous one.

The hash is keyed (a secret outside the database, audit.keys), so whoever holds the database cannot rewrite an entry
and recompute the hashes after it. See docs/adr/0002-logbook.md.
"""

import datetime
import hashlib
import hmac
import json

GENESIS_HASH = "0" * 64

# Fields that make up an entry's content, in the order they are hashed. Changing this list breaks every
# existing chain, so it only ever grows together with a data migration that re-verifies.
CHAINED_FIELDS = (
    "seq",
    "key_version",
    "id",
    "created_at",
    "action",
    "actor_id",
    "actor_label",
    "ip_address",
    "region_id",
    "youth_pseudonym",
    "signal_id",
    "details",
)


_PLAIN = (str, int, bool, float, dict, list, type(None))


def _canonical_value(value):
    if type(value) in _PLAIN:  # the common case first: the logbook hashes thousands of rows a night
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if value is None:
        return None
    if isinstance(value, int | str | dict | list | bool | float):
        return value
    return str(value)


def canonical_content(row: dict, fields=CHAINED_FIELDS) -> str:
    """A stable JSON text of the row's chained fields (sorted keys, no whitespace, UTC timestamps)."""
    content = {}
    for name in fields:
        value = row.get(name)
        # the plain values inline: the nightly life cycle hashes a hundred thousand rows
        content[name] = value if type(value) in _PLAIN else _canonical_value(value)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(key: bytes | str, previous_hash: str | dict, row: dict | None = None) -> str:
    """HMAC-SHA256 under `key` of the previous entry's hash and this entry's content (with its place and key).

    Called with two arguments `(previous_hash, row)` it is the unkeyed hash of that day: the landed migration 0002
    calls it so, and a landed migration is never edited.
    """
    if row is None:
        assert isinstance(key, str) and isinstance(previous_hash, dict)  # the call of migration 0002
        return legacy_entry_hash(key, previous_hash)
    assert isinstance(key, bytes) and isinstance(previous_hash, str)
    return hmac.new(key, (previous_hash + canonical_content(row)).encode(), hashlib.sha256).hexdigest()


# The unkeyed chain of audit/migrations/0002 (before the key): its content had neither place nor key version.
LEGACY_FIELDS = CHAINED_FIELDS[2:]


def legacy_entry_hash(previous_hash: str, row: dict) -> str:
    """The unkeyed SHA-256 the logbook used until migration 0004; only that migration still checks it."""
    return hashlib.sha256((previous_hash + canonical_content(row, LEGACY_FIELDS)).encode()).hexdigest()

"""The hash chain over the logbook: the canonical content of a row and the hash that links it to the previous one."""

import datetime
import hashlib
import json

GENESIS_HASH = "0" * 64

# Fields that make up an entry's content, in the order they are hashed. Changing this list breaks every
# existing chain, so it only ever grows together with a data migration that re-verifies.
CHAINED_FIELDS = (
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


def canonical_content(row: dict) -> str:
    """A stable JSON text of the row's chained fields (sorted keys, no whitespace, UTC timestamps)."""
    content = {}
    for name in CHAINED_FIELDS:
        value = row.get(name)
        # the plain values inline: the nightly life cycle hashes a hundred thousand rows
        content[name] = value if type(value) in _PLAIN else _canonical_value(value)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(previous_hash: str, row: dict) -> str:
    return hashlib.sha256((previous_hash + canonical_content(row)).encode()).hexdigest()

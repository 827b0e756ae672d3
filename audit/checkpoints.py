"""Signed checkpoints of the logbook (count, head hash, time), kept outside the database.

A checkpoint says "at this time the chain held `seq` entries and the last one hashed to `head`", signed with an
Ed25519 key from the environment. Whoever holds the database can neither forge one nor remove the ones already
written elsewhere, so a deleted tail or an emptied table shows. Stores sit behind one small interface and a
registry of kinds (`file:` here; an object store registers its own scheme): LOGBOOK_CHECKPOINT_DIR is always one,
LOGBOOK_CHECKPOINT_STORES adds more (another host's mount). See docs/adr/0002-logbook.md.
"""

import base64
import datetime
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature

from .keys import KeyRing, private_key, public_key

FORMAT = 1


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # entries in the chain
    head: str  # entry_hash of entry `seq` (the genesis hash when there are none)
    at: str  # UTC time, ISO 8601
    key: str  # version of the signing key
    signature: str = ""  # base64 Ed25519 signature of `message`
    format: int = FORMAT

    @property
    def message(self) -> bytes:
        content = {"format": self.format, "seq": self.seq, "head": self.head, "at": self.at, "key": self.key}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    @property
    def time(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.at)

    def as_text(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, indent=1)

    def as_line(self) -> str:
        """The same on one line: what the daily e-mail carries, for `logbook_verify --checkpoint`."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> "Checkpoint":
        data = json.loads(text)
        return cls(
            seq=int(data["seq"]),
            head=str(data["head"]),
            at=str(data["at"]),
            key=str(data["key"]),
            signature=str(data["signature"]),
            format=int(data.get("format", FORMAT)),
        )


def checkpoint_sign(*, seq: int, head: str, at: datetime.datetime, ring: KeyRing) -> Checkpoint:
    unsigned = Checkpoint(seq=seq, head=head, at=at.astimezone(datetime.UTC).isoformat(), key=ring.current_version)
    signature = private_key(ring.current).sign(unsigned.message)
    return Checkpoint(**{**asdict(unsigned), "signature": base64.b64encode(signature).decode()})


def checkpoint_signature_valid(checkpoint: Checkpoint, ring: KeyRing) -> bool:
    if checkpoint.key not in ring.keys:
        return False
    try:
        public_key(ring.keys[checkpoint.key]).verify(base64.b64decode(checkpoint.signature), checkpoint.message)
    except (InvalidSignature, ValueError):
        return False
    return True


class CheckpointStore(Protocol):
    """Somewhere outside the database: a folder on another host, an object store with versioning or retention."""

    name: str

    def save(self, checkpoint: Checkpoint) -> None:
        """Keep this checkpoint for good, beside the earlier ones."""

    def save_head(self, checkpoint: Checkpoint) -> None:
        """Replace the one head checkpoint the sealer writes after every batch (with a later one only)."""

    def load(self) -> list[tuple[str, str]]:
        """Every stored checkpoint, the head one included, as (its name in the store, its text)."""
        ...

    def load_latest(self) -> list[tuple[str, str]]:
        """The head and the newest kept checkpoint only: what the sealer compares with before each seal."""
        ...


HEAD_FILE = "head.json"


class FileCheckpointStore:
    """One file per checkpoint, created exclusively and made read-only; never overwritten, never deleted here.

    Beside them `head.json`, the sealer's latest head, replaced atomically after every batch it seals.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.name = str(self.directory)

    def save(self, checkpoint: Checkpoint) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = checkpoint.time.strftime("%Y%m%dT%H%M%S%fZ")
        path = self.directory / f"checkpoint-{stamp}-{checkpoint.seq:012d}.json"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        with os.fdopen(descriptor, "w") as file:
            file.write(checkpoint.as_text())
            file.flush()
            os.fsync(file.fileno())

    def save_head(self, checkpoint: Checkpoint) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / HEAD_FILE
        try:
            if Checkpoint.from_text(path.read_text()).seq >= checkpoint.seq:
                return  # a sealer that committed later has written a later head already
        except (OSError, ValueError, KeyError, TypeError):
            pass
        temporary = self.directory / f".{HEAD_FILE}.{os.getpid()}.tmp"
        temporary.write_text(checkpoint.as_text())
        os.replace(temporary, path)

    def load(self, *, latest_only: bool = False) -> list[tuple[str, str]]:
        if not self.directory.is_dir():
            return []
        paths = sorted(self.directory.glob("checkpoint-*.json"))  # by name: by time
        if latest_only:
            paths = paths[-1:]
        if (self.directory / HEAD_FILE).exists():
            paths.append(self.directory / HEAD_FILE)
        return [(path.name, path.read_text()) for path in paths]

    def load_latest(self) -> list[tuple[str, str]]:
        return self.load(latest_only=True)


class TextCheckpointStore:
    """Checkpoints handed in as text (a saved daily e-mail, a file): read-only, for logbook_verify --checkpoint."""

    # a checkpoint's one-line JSON inside any text (the e-mail around it is ignored)
    LINE = re.compile(r"\{[^{}]*\"signature\"[^{}]*\}")

    def __init__(self, name: str, text: str):
        self.name = name
        found = self.LINE.findall(text)
        self.texts = [(f"{name}#{number}", line) for number, line in enumerate(found, 1)] or [(name, text)]

    def save(self, checkpoint: Checkpoint) -> None:
        raise NotImplementedError("checkpoints handed in are only read")

    save_head = save

    def load(self) -> list[tuple[str, str]]:
        return list(self.texts)

    def load_latest(self) -> list[tuple[str, str]]:
        return list(self.texts)


# scheme -> a store from the rest of the location ("file:/srv/checkpoints"); register other kinds beside it
STORE_KINDS: dict[str, Callable[[str], CheckpointStore]] = {"file": FileCheckpointStore}


def checkpoint_store_register(scheme: str, factory: Callable[[str], CheckpointStore]) -> None:
    STORE_KINDS[scheme] = factory


def checkpoint_store_at(location: str) -> CheckpointStore:
    from django.core.exceptions import ImproperlyConfigured

    scheme, separator, rest = str(location).partition(":")
    if not separator or scheme not in STORE_KINDS:
        raise ImproperlyConfigured(
            f"LOGBOOK_CHECKPOINT_STORES: {location!r} is not <kind>:<where> with a kind of {sorted(STORE_KINDS)}"
        )
    return STORE_KINDS[scheme](rest)


def checkpoint_stores() -> list[CheckpointStore]:
    """Every configured store: LOGBOOK_CHECKPOINT_DIR, then each of LOGBOOK_CHECKPOINT_STORES. Each gets every
    checkpoint and head; verification reads them all, so one store emptied or lost still leaves the others."""
    from django.conf import settings

    extra = getattr(settings, "LOGBOOK_CHECKPOINT_STORES", [])
    return [FileCheckpointStore(settings.LOGBOOK_CHECKPOINT_DIR), *(checkpoint_store_at(where) for where in extra)]


def checkpoints_load(ring: KeyRing, stores=None, *, latest_only: bool = False) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of every store whose signature holds, and the names of those that do not parse or hold.

    `latest_only`: the head and the newest kept checkpoint of each store (a year holds 50,000 checkpoints).
    """
    valid, forged = [], []
    for store in checkpoint_stores() if stores is None else stores:
        for name, text in store.load_latest() if latest_only else store.load():
            try:
                checkpoint = Checkpoint.from_text(text)
            except (ValueError, KeyError, TypeError):
                forged.append(name)
                continue
            if checkpoint_signature_valid(checkpoint, ring):
                valid.append(checkpoint)
            else:
                forged.append(name)
    return valid, forged

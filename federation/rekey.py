"""Key rotation at a regional deployment: register every federated signal again under the hub's newest key id.

The hub keeps its OPRF keys versioned (FEDERATION_OPRF_KEYS, newest first); keys of different ids never match. When
the hub prepends a new key, each deployment runs `manage.py federation_rekey`: every signal still registered (or
never registered) under an older id gets an outbox "register" with fresh keys. The idempotency key names the new
key id and the signal's reference, so running the command again (or after a crash) queues nothing twice, and the
outbox sends what is left. The hub's status page counts the signals still under older ids; at 0 the old key goes.
"""

import base64
import secrets

from . import oprf, protocol, regional
from .models import FederatedSignal, OutboxMessage


def hub_newest_key_id() -> str:
    """The hub's newest key id, learnt from one evaluation of a random element (the hub names the key it used)."""
    _blind, blinded = oprf.blind(secrets.token_bytes(16))
    answer = regional.hub_call(
        "/federation/v1/oprf/evaluate/",
        {"blinded": [base64.b64encode(blinded).decode()]},
        f"rekey-{secrets.token_hex(8)}",
    )
    if not answer.get("key_id"):
        raise protocol.ProtocolError("the hub named no key id")
    return answer["key_id"]


def signals_reregister(*, key_id: str, batch_size: int = 500) -> dict[str, int]:
    """Queue a registration under `key_id` for every federated signal not yet registered under it (idempotent)."""
    federated = FederatedSignal.objects.filter(withdrawn_at=None)
    counts = {"queued": 0, "already_queued": 0, "up_to_date": federated.filter(key_id=key_id).count()}
    # a signal destroyed meanwhile: its registration is skipped by the outbox, its withdrawal follows
    for entry in federated.exclude(key_id=key_id).order_by("pk").iterator(chunk_size=batch_size):
        _message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=f"rekey-{key_id}-{entry.reference}"[:64],
            defaults={"operation": "register", "signal_id": entry.signal_id, "body": {}},
        )
        counts["queued" if created else "already_queued"] += 1
    return counts

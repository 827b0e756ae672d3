"""Register every federated signal again under the hub's newest OPRF key id (key rotation, docs/federation.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from federation import protocol, regional, rekey


class Command(BaseCommand):
    help = "Queue a registration under the hub's newest key id for every signal not yet under it; --send sends them."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", help="the key id to register under (default: asked of the hub)")
        parser.add_argument("--send", action="store_true", help="send the outbox afterwards")

    def handle(self, *args, key_id=None, send=False, **options):
        if not regional.linked():
            raise CommandError("this deployment is not linked to a hub (FEDERATION_HUB_URL, FEDERATION_DEPLOYMENT_ID)")
        try:
            key_id = key_id or rekey.hub_newest_key_id()
        except protocol.ProtocolError as error:
            raise CommandError(f"the hub's newest key id could not be learnt: {error}") from None
        counts = {"key_id": key_id, **rekey.signals_reregister(key_id=key_id)}
        if send:
            counts["outbox"] = regional.outbox_send()
        self.stdout.write(json.dumps(counts))

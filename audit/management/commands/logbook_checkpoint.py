"""Writes a signed checkpoint of the logbook now (beat does so every ten minutes), or prints the public keys."""

from django.core.management.base import BaseCommand, CommandError

from audit.keys import public_key_text, settings_signing_ring
from audit.services import SealRefused, logbook_checkpoint_write


class Command(BaseCommand):
    help = (
        "Schrijft nu een ondertekend controlepunt van het logboek naar LOGBOOK_CHECKPOINT_DIR; met --public-keys "
        "toont het de publieke sleutels waarmee een ander de controlepunten (ook de gemailde) kan nagaan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--public-keys", action="store_true", help="toon de publieke sleutels, schrijf niets")

    def handle(self, *args, public_keys=False, **options):
        if public_keys:
            for version, raw in settings_signing_ring().keys.items():
                self.stdout.write(f"{version}: {public_key_text(raw)}")
            return
        try:
            checkpoint = logbook_checkpoint_write()
        except SealRefused as refused:
            raise CommandError(
                f"Geen controlepunt geschreven: de keten klopt niet meer met het controlepunt van {refused}. "
                "Draai logbook_verify."
            ) from refused
        self.stdout.write(self.style.SUCCESS(f"Controlepunt geschreven: {checkpoint.seq} regels, {checkpoint.at}."))

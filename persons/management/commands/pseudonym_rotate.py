"""`manage.py pseudonym_rotate`: recompute every stored pseudonym under a new BSN_PSEUDONYM_KEY."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from persons.services import pseudonyms_rotate


class Command(BaseCommand):
    help = (
        "Recompute every pseudonym under the new key. Set BSN_PSEUDONYM_KEY to the new key and "
        "BSN_PSEUDONYM_KEY_PREVIOUS to the old one, stop the web application and the workers, then run this. "
        "Youth pseudonyms are recomputed from the encrypted BSNs; parents' and BAG pseudonyms by reading each "
        "youth from the BRP again. Every column registered with persons.pseudonyms.register_pseudonym_column "
        "is rewritten. Batches, one transaction each: safe to stop and run again. The logbook (append-only) "
        "keeps the pseudonyms of its day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size, **options):
        old_key, new_key = settings.BSN_PSEUDONYM_KEY_PREVIOUS, settings.BSN_PSEUDONYM_KEY
        if not old_key:
            raise CommandError("Set BSN_PSEUDONYM_KEY_PREVIOUS to the old key (and BSN_PSEUDONYM_KEY to the new).")
        if old_key == new_key:
            raise CommandError("BSN_PSEUDONYM_KEY and BSN_PSEUDONYM_KEY_PREVIOUS are the same key.")
        result = pseudonyms_rotate(old_key=old_key, new_key=new_key, batch_size=batch_size)
        self.stdout.write(
            f"{result.youths} youths: {result.rotated} rotated, {result.already_rotated} already rotated, "
            f"{result.not_in_brp} no longer in the BRP (parents and address kept their old pseudonyms)."
        )
        for label, count in sorted(result.rows_updated.items()):
            self.stdout.write(f"  {label}: {count} rows rewritten")
        if result.mismatched:
            raise CommandError(
                f"{len(result.mismatched)} youths have a pseudonym under neither key (ids {result.mismatched[:20]}); "
                "check BSN_PSEUDONYM_KEY_PREVIOUS."
            )

"""`manage.py bsn_reencrypt`: re-encrypt every stored BSN under the newest key (after prepending a new key)."""

from django.core.management.base import BaseCommand

from persons.services import youth_bsns_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every youth's BSN under the first (newest) key of BSN_ENCRYPTION_KEYS. Works in batches, "
        "one transaction each; safe to stop and run again. Remove the old key only after a complete run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        checked, reencrypted = youth_bsns_reencrypt(batch_size=batch_size)
        self.stdout.write(f"{checked} youths checked, {reencrypted} re-encrypted under the newest key.")

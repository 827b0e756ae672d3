"""`manage.py refresh_youths --as-of DATE`: the BRP refresh of youths that still have signals (normally nightly)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from persons.exceptions import BrpUnavailable
from persons.services import youths_refresh


class Command(BaseCommand):
    help = (
        "Re-read every youth that still has signals from the BRP; record and announce moves, deaths, "
        "new parents and addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, as_of, batch_size, **options):
        try:
            result = youths_refresh(as_of=as_of or timezone.localdate(), batch_size=batch_size)
        except BrpUnavailable as exc:
            raise CommandError(
                "The BRP cannot be reached; what was refreshed so far is kept. Run again later."
            ) from exc
        self.stdout.write(
            f"{result.checked} youths checked, {result.changed} changed: {result.moved} moved, {result.died} died, "
            f"{result.address_changed} new address, {result.parents_changed} new parents; "
            f"{result.not_found} not in the BRP, {result.failed} failed."
        )

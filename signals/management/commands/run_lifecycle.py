"""Run the signals life cycle for one day: `manage.py run_lifecycle [--as-of YYYY-MM-DD]`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from signals.lifecycle import BATCH_SIZE, lifecycle_run


class Command(BaseCommand):
    help = "Reminders, expiry to the archive and destruction of signals for one day (default: today)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="the day to run for, YYYY-MM-DD")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, as_of=None, batch_size=BATCH_SIZE, **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError("--as-of moet een datum zijn als JJJJ-MM-DD") from None
        counts = lifecycle_run(as_of=day, batch_size=batch_size)
        self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))

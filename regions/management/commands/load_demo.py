"""`manage.py load_demo`: load (or refresh) the demo regions, organisations and accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regions.demo import demo_load


class Command(BaseCommand):
    help = "Laadt de demo-regio's, organisaties en accounts (idempotent)."

    def handle(self, *args, **options):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Demo data (accounts with known passwords) is not allowed here; set ALLOW_DEMO_DATA=true "
                "only for a demo installation."
            )
        counts = demo_load()
        self.stdout.write(
            f"Demo data ready: {counts['regions']} regions, {counts['organisations']} organisations, "
            f"{counts['accounts']} demo accounts."
        )

"""Send what waits in the federation outbox now (the periodic task does the same every minute)."""

import json

from django.core.management.base import BaseCommand

from federation import regional


class Command(BaseCommand):
    help = "Send the federation outbox to the hub."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(regional.outbox_send()))

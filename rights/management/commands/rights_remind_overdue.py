"""Reminds about requests past their deadline and advice tasks past their due date, for any day (--as-of)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rights.services import rights_overdue_remind


class Command(BaseCommand):
    help = "Stuurt herinneringen over verzoeken en adviesvragen waarvan de termijn is verstreken."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", help="Datum (JJJJ-MM-DD) waarop de termijnen worden beoordeeld; standaard vandaag."
        )

    def handle(self, *args, **options):
        try:
            as_of = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("Geef --as-of als JJJJ-MM-DD.") from None
        requests, tasks = rights_overdue_remind(as_of=as_of)
        self.stdout.write(f"Herinnerd: {requests} verzoek(en), {tasks} adviesvraag/-vragen (peildatum {as_of}).")

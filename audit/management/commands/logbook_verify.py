"""Checks the logbook's hash chain and names the first row that was altered, removed or inserted out of turn."""

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import logbook_chain_check


class Command(BaseCommand):
    help = "Controleert de hashketen van het logboek en meldt de eerste regel die niet klopt."

    def handle(self, *args, **options):
        report = logbook_chain_check()
        if not report.intact:
            what = {
                "previous_hash": "de verwijzing naar de vorige regel klopt niet (regel verwijderd of tussengevoegd)",
                "content": "de inhoud is gewijzigd",
            }[report.problem]
            raise CommandError(
                f"Logboek NIET in orde: regel {report.broken_id}: {what}. {report.checked} regels ervoor zijn in orde."
            )
        self.stdout.write(self.style.SUCCESS(f"Logboek in orde: {report.checked} regels gecontroleerd."))

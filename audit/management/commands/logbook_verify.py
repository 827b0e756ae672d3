"""Checks the logbook's keyed chain against the signed checkpoints outside the database; names what does not hold."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.checkpoints import TextCheckpointStore
from audit.selectors import logbook_chain_check

PROBLEMS = {
    "previous_hash": "de verwijzing naar de vorige regel klopt niet (regel verwijderd of tussengevoegd)",
    "content": "de inhoud of de hash is gewijzigd (de sleutelhash klopt niet)",
    "gap": "er ontbreken regels in de keten",
    "key": "de regel noemt een onbekende of oudere sleutel",
    "checkpoint_head": "de keten wijkt af van een ondertekend controlepunt (regels herschreven)",
    "checkpoint_tail": "er ontbreken regels aan het eind (of het logboek is geleegd)",
    "checkpoint_signature": "een controlepunt is vervalst of onleesbaar",
}


# older than this, something that should run does not: a warning, not a failure (nothing is shown to be altered)
STALE_SEAL = datetime.timedelta(minutes=10)
STALE_CHECKPOINT = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Controleert de sleutelhashketen van het logboek tegen de ondertekende controlepunten buiten de database "
        "en meldt de eerste regel die niet klopt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="BESTAND",
            help="ook dit controlepunt (een bewaarde dagelijkse e-mail of een controlepuntbestand); mag vaker",
        )

    def handle(self, *args, checkpoint=(), **options):
        handed_in = []
        for path in checkpoint:
            try:
                with open(path, encoding="utf-8", errors="replace") as file:
                    handed_in.append(TextCheckpointStore(path, file.read()))
            except OSError as error:
                raise CommandError(f"Controlepunt {path} niet te lezen: {error}") from error
        report = logbook_chain_check(extra_stores=handed_in)
        where = f"regel {report.broken_id}: " if report.broken_id is not None else ""
        detail = f" ({report.detail})" if report.detail else ""
        if not report.intact:
            raise CommandError(
                f"Logboek NIET in orde: {where}{PROBLEMS[report.problem]}{detail}. "
                f"{report.checked} regels ervoor zijn in orde."
            )
        latest = report.latest_checkpoint
        anchor = (
            f"laatste controlepunt {latest.at}: {latest.seq} regels"
            if latest is not None
            else "GEEN controlepunt gevonden: een geleegd of ingekort logboek is zo niet vast te stellen"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Logboek in orde: {report.checked} regels gecontroleerd, {report.checkpoints} controlepunten; "
                f"{anchor}; {report.pending} regels wachten op verzegeling."
            )
        )
        now = timezone.now()
        if report.oldest_pending is not None and now - report.oldest_pending > STALE_SEAL:
            self.stdout.write(
                self.style.WARNING(
                    f"Let op: de oudste onverzegelde regel is van {report.oldest_pending:%Y-%m-%d %H:%M}; "
                    "draaien de Celery-worker en beat (audit.logbook_seal)?"
                )
            )
        if latest is not None and now - latest.time > STALE_CHECKPOINT:
            self.stdout.write(
                self.style.WARNING(
                    f"Let op: het laatste controlepunt is van {latest.at}; schrijft beat (audit.logbook_checkpoint) "
                    "nog in de map van LOGBOOK_CHECKPOINT_DIR?"
                )
            )

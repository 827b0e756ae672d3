"""The hub's retention now (the hub's beat runs it nightly): registered citizens' requests past their period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from federation.hub_rights import hub_rights_requests_sweep


class Command(BaseCommand):
    help = "At the hub: delete registered rights requests older than FEDERATION_RIGHTS_REQUEST_KEEP_DAYS."

    def handle(self, *args, **options):
        if settings.VERWIJSINDEX_ROLE != "hub":
            raise CommandError("federation_hub_sweep runs at the hub (VERWIJSINDEX_ROLE=hub)")
        self.stdout.write(f"deleted {hub_rights_requests_sweep(budget_seconds=3600)}")

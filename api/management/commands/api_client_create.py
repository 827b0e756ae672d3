"""Create an API client for an organisation and print its token once."""

from django.core.management.base import BaseCommand, CommandError

from api.forms import ApiClientForm
from api.services import api_client_create
from regions.models import Organisation


class Command(BaseCommand):
    help = "Create an API client for an organisation; prints the token (client id and secret) once."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's code.")
        parser.add_argument("--name", default="", help="A name for the client (default: the organisation's).")
        parser.add_argument("--certificate-fingerprint", default="", help="SHA-256 fingerprint to pin (optional).")

    def handle(self, *args, organisation, name, certificate_fingerprint, **options):
        found = Organisation.objects.filter(code=organisation).first()
        if found is None:
            raise CommandError(f"No organisation with code {organisation!r}.")
        form = ApiClientForm(
            data={
                "name": name or f"API {found.name}",
                "organisation": found.pk,
                "certificate_fingerprint": certificate_fingerprint,
            },
            organisations=[found],
        )
        if not form.is_valid():
            raise CommandError("; ".join(str(e) for errors in form.errors.values() for e in errors))
        client, token = api_client_create(
            organisation=found,
            name=form.cleaned_data["name"],
            certificate_fingerprint=form.cleaned_data["certificate_fingerprint"],
        )
        self.stdout.write(f"client id: {client.client_id}")
        self.stdout.write(f"token (shown once; send as 'Authorization: Bearer <token>'): {token}")

"""`manage.py demo_accounts --port N`: print the demo URLs, accounts and how to log in with two factors."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import Role
from regions.demo import DEMO_PASSWORD, REGIONS, SYSTEM_ADMINISTRATOR_EMAIL


class Command(BaseCommand):
    help = "Toont de adressen en demo-accounts."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="the port the web server listens on")

    def handle(self, *args, port, **options):
        write = self.stdout.write
        write("")
        write("=" * 78)
        write("Verwijsindex demo")
        write("=" * 78)
        for spec in REGIONS:
            write("")
            write(f"{spec.name}: http://{spec.slug}.localhost:{port}/")
            for person in spec.people:
                write(f"  {person.email:<48} {Role(person.role).label}")
        write("")
        write(f"System administrator (every region, admin at /beheer/): {SYSTEM_ADMINISTRATOR_EMAIL}")
        write(f"Password of every demo account: {DEMO_PASSWORD}")
        write("")
        write("Two-factor login (always required):")
        write("  - At the first login you link an authenticator app (FreeOTP, Microsoft/Google Authenticator,")
        write("    or `oathtool --totp -b <key>` with the key shown under the QR code) and keep the backup codes.")
        if settings.DEV_TWO_FACTOR_SHORTCUT:
            write("  - Development only: demo accounts may press 'Demo: inloggen zonder tweede factor' instead.")
        if settings.DEV_MAILBOX_DIR:
            write("")
            write(
                f"E-mail sent by the application (invitations, matches, password reset): http://localhost:{port}/dev/mail/"
            )
        write("")
        write("A user of one region has no access on another region's address.")
        write("=" * 78)

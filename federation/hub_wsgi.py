"""WSGI entry point of the national hub (behind a TLS-terminating proxy that passes the client certificate)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.hub")
application = get_wsgi_application()

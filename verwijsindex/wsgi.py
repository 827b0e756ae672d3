"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.dev")
application = get_wsgi_application()

# production does not serve while an account with the published demo password exists (issue #16, finding 5)
from accounts.startup import demo_accounts_refuse  # noqa: E402 - needs the apps loaded above

demo_accounts_refuse()


def _warm() -> None:
    """Load at start what each process would otherwise load inside a user's request.

    - The broker's client library: Celery imports it when a process sends its first task, and the import (redis
      with its asyncio and cluster modules) took 100-500 ms inside the first placement each web process answered.
      Building the connection object does not connect.
    - The embedded BRP register, where it is the configured client (development, demos, benchmarks): parsing the
      test set took 150 ms inside the first BSN look-up of each process.

    Then everything loaded so far (Django, the apps, the libraries: some 130,000 objects) is moved out of the
    garbage collector's sight (gc.freeze): it lives as long as the process, and each full collection spent
    100 ms walking it, 250-450 ms under load, inside whichever request happened to trigger one.
    """
    from django.conf import settings

    from persons.brp.embedded import register_records

    from .celery import app

    app.connection_for_write().transport  # noqa: B018 - the attribute loads the transport class
    if settings.BRP_CLIENT == "embedded":
        register_records(settings.BRP_TEST_DATA)
    gc.freeze()


_warm()

"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.dev")
application = get_wsgi_application()


def _broker_client_load() -> None:
    """Import the broker's client library now. Celery imports it when a process sends its first task, and the
    import (redis with its asyncio and cluster modules) took 100-500 ms inside the first placement each web
    process answered. Building the connection object does not connect."""
    from .celery import app

    app.connection_for_write().transport  # noqa: B018 - the attribute loads the transport class


_broker_client_load()

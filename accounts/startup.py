"""Start-up refusals of accounts: production does not run while an account with a published password exists.

The web (verwijsindex/wsgi.py), `manage.py check`, and the Celery worker and beat (their init signals, below) refuse.
"""

import logging

from celery.signals import beat_init, worker_init
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def _demo_accounts() -> int:
    from .models import User

    return User.objects.filter(is_demo=True).count()


def demo_accounts_refuse() -> None:
    """Raise ImproperlyConfigured where REFUSE_DEMO_ACCOUNTS is set (production) and a demo account exists."""
    if settings.REFUSE_DEMO_ACCOUNTS and _demo_accounts():
        raise ImproperlyConfigured(
            "Demo accounts (with the published demo password) exist in this database; production does not start. "
            "Remove them (manage.py shell: User.objects.filter(is_demo=True).delete()) or use a fresh database."
        )


@register(Tags.security)
def demo_accounts_check(app_configs=None, **kwargs):
    """`manage.py check` (and runserver, migrate) report the same refusal as an error."""
    if not settings.REFUSE_DEMO_ACCOUNTS:
        return []
    try:
        count = _demo_accounts()
    except DatabaseError:
        return []  # no tables yet (before the first migrate): nothing to refuse
    if not count:
        return []
    return [
        Error(
            f"{count} demo account(s) with the published demo password exist; production does not start.",
            hint="Delete the users with is_demo=True, or use a fresh database.",
            id="accounts.E001",
        )
    ]


@worker_init.connect
@beat_init.connect
def demo_accounts_refuse_to_run_tasks(**kwargs) -> None:
    """The worker and beat refuse too: a task run by a production worker is production, whoever serves the web.

    Celery logs and swallows an exception a signal handler raises, so the refusal leaves through SystemExit.
    """
    try:
        demo_accounts_refuse()
    except ImproperlyConfigured as refused:
        logger.critical("%s", refused)
        raise SystemExit(f"Refused to start: {refused}") from refused

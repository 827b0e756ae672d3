"""Issue #16 finding 5: demo accounts (published password) in production, as `.env.example` used to allow.

With ALLOW_DEMO_DATA=true the production profile loaded the demo accounts and served them. Production now
ignores the flag, and refuses to start (the WSGI application, `manage.py check`, the Celery worker and beat) while
one exists.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from tests.accounts.factories import UserFactory
from tests.foundation.environments import production_environment, run_with_settings

pytestmark = pytest.mark.django_db


def test_production_ignores_allow_demo_data_and_refuses_demo_accounts():
    environment = {**production_environment(), "ALLOW_DEMO_DATA": "true"}
    result = run_with_settings(
        environment,
        "from django.conf import settings; "
        "print(settings.ALLOW_DEMO_DATA, getattr(settings, 'REFUSE_DEMO_ACCOUNTS', False))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_production_does_not_start_while_a_demo_account_exists(settings):
    from accounts.startup import demo_accounts_refuse

    settings.REFUSE_DEMO_ACCOUNTS = True
    demo_accounts_refuse()  # no demo account: starts
    call_command("check")
    UserFactory(is_demo=True)
    with pytest.raises(ImproperlyConfigured, match="Demo accounts"):
        demo_accounts_refuse()
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check")


def test_production_does_not_load_the_demo_accounts(settings):
    settings.ALLOW_DEMO_DATA = False  # what production sets, whatever the environment says
    with pytest.raises(CommandError, match="ALLOW_DEMO_DATA"):
        call_command("load_demo")


def test_the_celery_worker_and_beat_refuse_to_start_while_a_demo_account_exists(settings):
    from accounts.startup import demo_accounts_refuse_to_run_tasks

    settings.REFUSE_DEMO_ACCOUNTS = True
    demo_accounts_refuse_to_run_tasks(sender=None)  # no demo account: starts
    UserFactory(is_demo=True)
    with pytest.raises(SystemExit, match="Demo accounts"):
        demo_accounts_refuse_to_run_tasks(sender=None)
    settings.REFUSE_DEMO_ACCOUNTS = False  # development and demos: the demo accounts are the point
    demo_accounts_refuse_to_run_tasks(sender=None)


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("program", ["worker", "beat"])
def test_a_production_worker_and_beat_exit_while_a_demo_account_exists(program, tmp_path):
    """Started as a deployment starts them, on the test database with a committed demo account: they exit."""
    import os
    import subprocess
    import sys

    from tests.foundation.environments import ROOT

    UserFactory(is_demo=True)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **production_environment(),
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "LOGBOOK_CHECKPOINT_DIR": str(tmp_path),
    }
    arguments = {
        "worker": ["worker", "--pool=solo", "--concurrency=1", "--without-mingle", "--without-gossip"],
        "beat": ["beat", "--schedule", str(tmp_path / "beat-schedule")],
    }[program]
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "verwijsindex", *arguments, "--loglevel=critical"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"the {program} started with a demo account in the database:\n{output[-2000:]}")
    assert process.returncode != 0
    assert "Demo accounts" in output

"""Browser tests: Debian's chromium driven by Playwright against the real stack on the test database.

How it runs (see tests/e2e/README.md):
- chromium: /usr/bin/chromium (`make test` installs it with apt-get when it can). Missing -> the tests
  are skipped with the reason; with CI=true they fail instead. No Playwright browser is downloaded.
- the app: a real gunicorn, a real Celery worker (threads pool) and the aiosmtpd sink, started as
  subprocesses with `verwijsindex.settings.e2e` against pytest-django's test database. Celery work
  therefore runs asynchronously in that worker, as in production; tests wait for its results
  (an e-mail in the sink, a match on a page) with a timeout.
- data: each test module's data is written by the test process in autocommit mode (the server
  processes must see it) and the whole database is flushed when the module ends, as pytest-django
  does after a transactional test.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from .stack import E2E_REDIS_DB, Stack, database_url, redis_url_with_db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # region hosts are <slug>.localhost; never ask a resolver, the network is closed anyway
    "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
]


def _browser_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (`make test` installs the Debian package as root with apt-get)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if reason and os.environ.get("CI") != "true":
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def chromium():
    reason = _browser_missing_reason()
    if reason:
        # only reached with CI=true (otherwise the tests were marked skipped): on CI they must run
        pytest.fail(f"browser tests must run on CI: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
    # browser steps are plain synchronous code, so Django's async guard is switched off for them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    user_data_dir = Path(tempfile.mkdtemp(prefix="vi-e2e-chromium-"))
    with sync_playwright() as playwright:
        # launch() gives the browser a fresh temporary --user-data-dir of its own; contexts per person
        # (Playwright refuses --user-data-dir in args; it makes a new temporary one per launch)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "HOME": str(user_data_dir)},
        )
        yield browser
        browser.close()
    shutil.rmtree(user_data_dir, ignore_errors=True)
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def e2e_database(django_db_setup, django_db_blocker):
    """The test database. pytest-django creates it only when a test in the session is marked django_db
    (or uses db/transactional_db); the browser tests use neither, so create it here when needed.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        created = None
        if not connection.settings_dict["NAME"].startswith("test_"):
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        # never let the servers or the flush touch a development database
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
        try:
            yield connection.settings_dict["NAME"]
        finally:
            if created is not None:
                connection.close()
                teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session")
def e2e_stack(chromium, e2e_database, django_db_blocker):
    """gunicorn + worker + mail sink against the test database, for the whole session."""
    import redis
    from django.conf import settings

    with django_db_blocker.unblock():
        db_url = database_url(connection.settings_dict)
    redis_url = redis_url_with_db(settings.REDIS_URL, E2E_REDIS_DB)
    redis.Redis.from_url(redis_url).flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="vi-e2e-"))
    stack = Stack(workdir=workdir, db_url=db_url, redis_url=redis_url)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def e2e_db(e2e_stack, django_db_blocker):
    """Committed data for one test module; the database is emptied when the module ends."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            connection.close()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _e2e_db_access(request, django_db_blocker):
    # tests of a module holding e2e_db read and write committed data, like the server processes do
    if "e2e_db" in request.fixturenames:
        with django_db_blocker.unblock():
            yield
    else:
        yield


@pytest.fixture(scope="module")
def visitors(chromium, e2e_stack):
    """People in the browser for one module: `visitors.open(region, name)`, later `visitors[name]`.

    When the module ends each context is closed, which fails if a page was not checked with axe.
    """
    from .browser import Visitor

    class Visitors(dict):
        def open(self, region, name: str) -> Visitor:
            self[name] = Visitor(chromium, e2e_stack, region, name)
            return self[name]

    opened = Visitors()
    yield opened
    for visitor in opened.values():
        visitor.close()

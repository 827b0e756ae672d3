"""A backup restored into a new database holds the same rows, an intact logbook and the same matches."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from matching.selectors import my_matches
from tests.matching.conftest import brp_youth, haaglanden, place  # noqa: F401 - shared fixtures
from tests.notifications.conftest import celery_eager  # noqa: F401
from tests.regions.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parent.parent.parent
SIBLING_1, SIBLING_2 = "999970033", "999970045"  # BRP test persons: same parents, same dwelling

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST']}:{s['PORT']}/{name}"


def _state(professionals, region):
    with connection.cursor() as cursor:
        tables = sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("django_"))
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    seen = {}
    for user in professionals:
        page = my_matches(user=user, region=region, seen_before=None)
        seen[user.pk] = sorted(
            (
                row.reference,
                row.coordinator.pk if row.coordinator else None,
                sorted(
                    (p.signal.pk, p.signal.status, p.youth_label, p.joined_at.isoformat()) for p in row.participants
                ),
            )
            for row in page.rows
        )
    return counts, seen


def test_restored_backup_has_the_same_rows_an_intact_logbook_and_the_same_matches(
    brp_youth,  # noqa: F811
    place,  # noqa: F811
    haaglanden,  # noqa: F811
    tmp_path,
):
    a = place(youth=brp_youth(SIBLING_1), organisation=OrganisationFactory(region=haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=OrganisationFactory(region=haaglanden))
    c = place(youth=a.youth, organisation=OrganisationFactory(region=haaglanden))
    professionals = [a.professional, b.professional, c.professional]
    before = _state(professionals, haaglanden)
    assert any(before[1].values()), "the data set must hold matches"
    assert before[0]["audit_logentry"] > 0 and before[0]["notifications_notification"] > 0

    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    dump_file = tmp_path / "backup.dump"
    script = [sys.executable, str(ROOT / "scripts" / "backup.py")]
    with connection.cursor() as cursor:  # the server's own pg_dump: one on PATH may be older than the server
        cursor.execute("SELECT setting FROM pg_config WHERE name = 'BINDIR'")
        env = {**os.environ, "PG_BIN": cursor.fetchone()[0]}
    subprocess.run([*script, "dump", "--database-url", _url(original), "--output", str(dump_file)], check=True, env=env)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [*script, "restore", "--database-url", _url(restored), "--input", str(dump_file)], check=True, env=env
        )
        connection.close()
        connection.settings_dict["NAME"] = restored
        try:
            call_command("logbook_verify")
            after = _state(professionals, haaglanden)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')

"""A GET never changes state (issue #16 finding 9): every URL of the URL conf, asked with GET by every role.

Finding 9 named three pages that changed state on GET (`/signalen/nieuw/afbreken/`, `afgegeven/`, `/matches/`);
this test catches the whole class. Before and after each request it takes a fingerprint of every table; nothing
may differ except the sessions and the logbook, and the logbook only by entries that record a read (a view of a
youth's data is logged, by design). A link followed from an e-mail, a prefetching browser or a crawler on a
shared screen must not place, end, mark or send anything.
"""

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import LogEntry
from tests.api.conftest import ApiCaller
from tests.api.factories import api_client_with_token
from tests.security.test_permission_matrix import MATRIX, project_url_names, worlds  # noqa: F401 (fixture)
from tests.security.world import ADMINISTRATOR, OWNER, ROLES

pytestmark = pytest.mark.django_db

# what a GET may legitimately write: its session, and a logbook entry saying who saw what
SESSION_TABLES = {"django_session"}
READ_ACTIONS = {
    "signal_viewed",
    "youth_data_viewed",
    "matches_viewed",
    "rights_overview_viewed",
    "rights_copy_issued",  # the PDF copy for the citizen: a document with the youth's data was made and handed out
    "rights_decision_letter_made",  # the decision letter, likewise
    "api_call",  # every API call is logged, reads too (who asked which signal)
}


def _tables() -> list[str]:
    ignored = SESSION_TABLES | {LogEntry._meta.db_table}
    return sorted(name for name in connection.introspection.table_names() if name not in ignored)


def _fingerprint(tables: list[str]) -> dict[str, str]:
    """Per table: the md5 of all its rows as text, in one query (a few ms for the small world)."""
    parts = [
        f"SELECT '{name}', md5(coalesce(string_agg(row_text, E'\\n' ORDER BY row_text), ''))"  # noqa: S608
        f" FROM (SELECT t::text AS row_text FROM {connection.ops.quote_name(name)} t) rows_of_{index}"
        for index, name in enumerate(tables)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def _changes(tables, before: dict, last_entry: int) -> list[str]:
    after = _fingerprint(tables)
    changed = [name for name in tables if before[name] != after[name]]
    written = LogEntry.objects.filter(pk__gt=last_entry).exclude(action__in=READ_ACTIONS)
    changed += [f"logbook entry {action!r}" for action in written.values_list("action", flat=True)]
    return changed


def _last_entry() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_no_page_changes_anything_on_get_for_any_role(worlds):  # noqa: F811
    own, _other = worlds
    tables = _tables()
    failures = []
    for name in sorted(MATRIX):
        row = MATRIX[name]
        url = reverse(name, kwargs=row.kwargs(own) if row.kwargs else None)
        for role in ROLES:
            client = own.client(role)
            before, last_entry = _fingerprint(tables), _last_entry()
            response = client.get(url)
            if changed := _changes(tables, before, last_entry):
                failures.append(f"GET {url} ({name}) as {role} -> {response.status_code}: changed {changed}")
    assert not failures, "\n".join(failures)


def test_every_page_of_the_url_conf_was_asked():
    """The walk above covers the URL conf: the permission matrix has a row for every name (its own test)."""
    assert set(project_url_names()) <= set(MATRIX)


def test_no_api_endpoint_changes_anything_on_get(worlds):  # noqa: F811
    own, _other = worlds
    _client, authorization = api_client_with_token(own.objects["organisation"])
    caller = ApiCaller(authorization)
    tables = [name for name in _tables() if name != "api_apiclient"]  # its `last_used_at`: when, not what
    signal_id = own.objects["signal"].pk
    urls = [reverse("api:schema"), reverse("api:docs"), reverse("api:signals")] + [
        reverse(f"api:{name}", kwargs={"signal_id": signal_id})
        for name in ("signal", "signal_end", "signal_extend", "signal_informing", "signal_matches", "signal_follow_up")
    ]
    failures = []
    for url in urls:
        before, last_entry = _fingerprint(tables), _last_entry()
        response = caller.get(url, {"professional": own.users[OWNER].email} if url == reverse("api:signals") else None)
        if changed := _changes(tables, before, last_entry):
            failures.append(f"GET {url} -> {response.status_code}: changed {changed}")
    assert not failures, "\n".join(failures)


def test_the_technical_admin_changes_nothing_on_get(worlds):  # noqa: F811
    own, _other = worlds
    client = own.client(ADMINISTRATOR)
    tables = _tables()
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    urls = [reverse("admin:index")] + [
        model["admin_url"] for app in index.context["app_list"] for model in app["models"] if model.get("admin_url")
    ]
    failures = []
    for url in urls:
        before, last_entry = _fingerprint(tables), _last_entry()
        response = client.get(url)
        if changed := _changes(tables, before, last_entry):
            failures.append(f"GET {url} -> {response.status_code}: changed {changed}")
    assert len(urls) > 5 and not failures, "\n".join(failures)

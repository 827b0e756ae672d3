"""Hostile input gets nowhere: every form of every page, filled with generated hostile values by a role
that may use it, never gives a server error, never echoes markup unescaped, and a missing or wrong
CSRF token is refused."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_permission_matrix import ANONYMOUS, MATRIX, worlds  # noqa: F401 - the fixture
from tests.security.world import ROLES

SCRIPT = "<script>alert('vi')</script>"
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "So"]), max_size=50),
    st.sampled_from(
        [
            SCRIPT,
            '"><img src=x onerror=alert(1)>',
            "x" * 100_000,
            "999999151",
            "9999 99 151",
            "999.999.151",
            "000000000",
            "-1",
            "0",
            "1e309",
            "2026-02-30",
            "00-00-0000",
            "../../etc/passwd",
            "' OR 1=1 --",
            "\x00",
            "﷽" * 20,
            "𝕍𝕚",
        ]
    ),
)

_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.IGNORECASE)
_SKIP_FIELDS = {"csrfmiddlewaretoken"}


def _form_pages():
    """(url name, row, role) for every page with a form that some role may open."""
    for name, row in sorted(MATRIX.items()):
        if row.open and name not in ("accounts:login",):
            continue
        role = next((r for r in ROLES if r in row.allowed and r != ANONYMOUS), ANONYMOUS)
        yield name, row, role


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "row", "role"), list(_form_pages()), ids=lambda value: str(value)[:40])
def test_hostile_values_in_every_form_field_never_break_a_page(worlds, name, row, role):  # noqa: F811
    own, _ = worlds
    url = reverse(name, kwargs=row.kwargs(own) if row.kwargs else None)
    client = own.client(role)
    page = client.get(url)
    fields = sorted(set(_FIELD.findall(page.content.decode(errors="replace"))) - _SKIP_FIELDS)
    if not fields:
        pytest.skip(f"{name} shows no form to {role}")

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(values=st.fixed_dictionaries({field: HOSTILE_TEXT for field in fields}))
    def post_hostile(values):
        response = client.post(url, values)
        assert response.status_code < 500, f"{name}: {response.status_code} for {values!r:.200}"
        body = response.content.decode(errors="replace")
        assert SCRIPT not in body, f"{name} echoed markup unescaped"

    post_hostile()


@pytest.mark.django_db
def test_a_form_without_a_valid_csrf_token_is_refused(worlds):  # noqa: F811
    own, _ = worlds
    client = Client(HTTP_HOST=own.host, enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@example.nl", "password": "x"})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()

    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"),
        {"username": "a@example.nl", "password": "x", "csrfmiddlewaretoken": "wrong" * 8},
    )
    assert response.status_code == 403

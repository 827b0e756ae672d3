"""The permission matrix: every URL of the project × every role × own and other region's host.

The URL list is read from the resolver, so a new view without a row here fails
`test_every_url_has_a_row`. Each row names who may open the page on their own region's host;
everyone else must be refused (a redirect to the login for the anonymous, 403 or 404 for the
rest). Then, for every row with object ids in the URL, the same roles of the other region ask for
this region's objects on their own host (IDOR) and must be refused too, and every role of this
region is refused on the other region's host.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import (
    ADMINISTRATOR,
    ANONYMOUS,
    COLLEAGUE,
    COORDINATOR,
    MATCHED,
    MONITOR,
    MUNICIPAL_STAFF,
    OWNER,
    PROCESS_MANAGER,
    ROLES,
    UNMATCHED,
    World,
    build_world,
)

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
PROFESSIONALS = frozenset({OWNER, MATCHED, UNMATCHED, COLLEAGUE})


@dataclass(frozen=True)
class Row:
    allowed: frozenset
    kwargs: Callable[[World], dict] | None = None
    # open pages answer on every host, for everyone (login, password reset, health, theme)
    open: bool = False
    # methods: the matrix asks with GET; POST-only views answer 405 to the allowed roles
    method: str = "get"
    # pages whose normal answer is a redirect to the login page (logging out)
    lands_on_login: bool = False
    # the two-factor steps: open to a logged-in user whose second factor is not yet verified
    second_factor_step: bool = False
    # an open page that answers this status to everyone (an invalid invitation link: 404)
    open_status: int | None = None
    # what the allowed roles get when asked without the state a step needs (a ceremony not begun: 400)
    allowed_status: int | None = None
    # the URL's arguments name no object of a region (a letter's age group): no IDOR check across regions
    kwargs_name_objects: bool = True


def _signal(world: World) -> dict:
    return {"signal_id": world.objects["signal"].pk}


def _membership(world: World) -> dict:
    return {"membership_id": world.objects["owner_membership"].pk}


def _owner_user(world: World) -> dict:
    return {"user_id": world.users[OWNER].pk}


def _api_client(world: World) -> dict:
    return {"pk": world.objects["api_client"].pk}


def _object(key: str):
    return lambda world: {"pk": world.objects[key].pk}


def _object_signal(key: str):
    return lambda world: {"signal_id": world.objects[key].pk}


def _match(world: World) -> dict:
    return {"reference": world.objects["match"].reference}


OPEN = Row(allowed=EVERYONE, open=True)
PM = frozenset({PROCESS_MANAGER})
PM_ONLY = Row(allowed=PM)

# Who may open what, on their own region's host.
MATRIX: dict[str, Row] = {
    "home": Row(allowed=LOGGED_IN),
    "health": OPEN,
    # the region's page for parents and youths: open, and about no person
    "public_information": OPEN,
    "set_language": Row(allowed=EVERYONE, open=True, method="post"),
    "accounts:login": OPEN,
    "accounts:logout": Row(allowed=EVERYONE, open=True, method="post", lands_on_login=True),
    "regions:theme_css": OPEN,
    "accounts:two_factor": Row(allowed=LOGGED_IN, second_factor_step=True),
    "accounts:enrol": Row(allowed=LOGGED_IN, second_factor_step=True),
    # the demo shortcut exists only in the dev profile: nobody gets it here
    "accounts:dev_shortcut": Row(allowed=frozenset(), method="post", second_factor_step=True),
    "accounts:invitation_accept": Row(
        allowed=EVERYONE, open=True, open_status=404, kwargs=lambda world: {"token": "ongeldige-uitnodiging"}
    ),
    # the one-time link after a second-factor reset: only its own user, with the token from the e-mail
    # (tests/security/test_account_takeover.py); a made-up token is refused to everyone
    "accounts:enrolment_link": Row(
        allowed=frozenset(), second_factor_step=True, kwargs=lambda world: {"token": "ongeldige-link"}
    ),
    "accounts:password_reset": OPEN,
    "accounts:password_reset_done": OPEN,
    "accounts:password_reset_confirm": Row(
        allowed=EVERYONE, open=True, kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": OPEN,
    "accounts:user_list": Row(allowed=frozenset({COORDINATOR, PROCESS_MANAGER})),
    # signing in through the organisation's own provider: open; no provider of that id here answers 404, and
    # a callback without a started sign-in goes back to the login page
    "accounts:oidc_start": Row(
        allowed=EVERYONE, open=True, open_status=404, kwargs=lambda world: {"provider_id": 999999}
    ),
    "accounts:oidc_callback": Row(allowed=EVERYONE, open=True, lands_on_login=True),
    "accounts:identity_provider": Row(
        allowed=frozenset({COORDINATOR, PROCESS_MANAGER}),
        kwargs=lambda world: {"organisation_id": world.objects["organisation"].pk},
    ),
    # one's own passkeys; a passkey that is not one's own is not found (no passkeys in the world: 404 for all)
    "accounts:passkeys": Row(allowed=LOGGED_IN),
    "accounts:passkey_remove": Row(allowed=frozenset(), method="post", kwargs=lambda world: {"passkey_id": 999999}),
    # django-otp-webauthn's ceremonies: steps of the login (a second factor not yet verified may use them)
    "otp_webauthn:credential-registration-begin": Row(allowed=LOGGED_IN, method="post", second_factor_step=True),
    "otp_webauthn:credential-registration-complete": Row(
        allowed=LOGGED_IN, method="post", second_factor_step=True, allowed_status=400
    ),
    "otp_webauthn:credential-authentication-begin": Row(allowed=LOGGED_IN, method="post", second_factor_step=True),
    "otp_webauthn:credential-authentication-complete": Row(
        allowed=LOGGED_IN, method="post", second_factor_step=True, allowed_status=400
    ),
    "otp_webauthn:js-i18n-catalog": OPEN,
    "accounts:two_factor_reset": Row(allowed=frozenset({COORDINATOR, PROCESS_MANAGER}), kwargs=_owner_user),
    "rights:queue": Row(allowed=frozenset({MUNICIPAL_STAFF, PROCESS_MANAGER})),
    "rights:request_register": Row(allowed=frozenset({MUNICIPAL_STAFF})),
    "rights:request_detail": Row(allowed=frozenset({MUNICIPAL_STAFF, PROCESS_MANAGER}), kwargs=_object("objection")),
    "rights:request_overview": Row(allowed=frozenset({MUNICIPAL_STAFF}), kwargs=_object("copy_request")),
    "rights:request_pdf": Row(allowed=frozenset({MUNICIPAL_STAFF}), kwargs=_object("copy_request")),
    # issue #22: ask the other deployments (through the hub) about their signals on the youth
    "rights:request_remote_signals": Row(
        allowed=frozenset({MUNICIPAL_STAFF}), kwargs=_object("copy_request"), method="post"
    ),
    "rights:request_complete": Row(allowed=frozenset({MUNICIPAL_STAFF}), kwargs=_object("copy_request"), method="post"),
    "rights:request_advice": Row(
        allowed=frozenset({MUNICIPAL_STAFF, PROCESS_MANAGER}), kwargs=_object("objection"), method="post"
    ),
    "rights:request_decide": Row(allowed=frozenset({PROCESS_MANAGER}), kwargs=_object("objection")),
    "rights:staff_activity": Row(allowed=PM),
    "rights:advice_list": Row(allowed=PROFESSIONALS),
    "rights:advice_detail": Row(allowed=frozenset({OWNER}), kwargs=_object("advice_task")),
    "audit:logbook": Row(allowed=frozenset({PROCESS_MANAGER})),
    # the dev/test stand-in for the BRP: host-less, no login; answers a POST without a body with 400
    "brp_embedded:personen": Row(allowed=EVERYONE, open=True, method="post", open_status=400),
    "regions:manage_home": PM_ONLY,
    "regions:organisation_list": PM_ONLY,
    "regions:organisation_create": PM_ONLY,
    "regions:organisation_detail": Row(allowed=PM, kwargs=_object("organisation")),
    "regions:organisation_deactivate": Row(allowed=PM, kwargs=_object("organisation")),
    "regions:organisation_reactivate": Row(allowed=PM, kwargs=_object("organisation"), method="post"),
    "regions:organisation_coordinator_invite": Row(allowed=PM, kwargs=_object("organisation")),
    "regions:municipality_list": PM_ONLY,
    "regions:municipality_edit": Row(allowed=PM, kwargs=_object("municipality")),
    "regions:coordinator_rules": PM_ONLY,
    "regions:institutional_addresses": PM_ONLY,
    "regions:institutional_address_remove": Row(allowed=PM, kwargs=_object("institutional_address"), method="post"),
    "regions:region_settings": PM_ONLY,
    "regions:region_look": PM_ONLY,
    "regions:move_notice_list": PM_ONLY,
    "regions:move_notice_handle": Row(allowed=PM, kwargs=_object("move_notice"), method="post"),
    "regions:my_organisation": Row(allowed=frozenset({COORDINATOR})),
    "regions:professional_invite": Row(allowed=frozenset({COORDINATOR})),
    "regions:signalling_profile": Row(allowed=frozenset({COORDINATOR})),
    "reports:statistics": PM_ONLY,
    "reports:statistics_csv": PM_ONLY,
    "api_clients:list": Row(allowed=frozenset({COORDINATOR})),
    "api_clients:create": Row(allowed=frozenset({COORDINATOR})),
    "api_clients:revoke": Row(allowed=frozenset({COORDINATOR}), kwargs=_api_client),
    "signals:list": Row(allowed=PROFESSIONALS),
    "signals:place": Row(allowed=PROFESSIONALS),
    "signals:place_unborn": Row(allowed=PROFESSIONALS),
    "signals:expected_date": Row(
        allowed=frozenset({OWNER}), kwargs=lambda world: {"signal_id": world.objects["unborn_signal"].pk}
    ),
    "signals:place_confirm": Row(allowed=PROFESSIONALS),
    "signals:place_profile": Row(allowed=PROFESSIONALS),
    "signals:place_informing": Row(allowed=PROFESSIONALS),
    "signals:place_cancel": Row(allowed=PROFESSIONALS, method="post"),
    "signals:detail": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    "signals:placed": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    "signals:end": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    "signals:organisation_professionals": Row(allowed=frozenset({COORDINATOR})),
    "signals:organisation_professional": Row(allowed=frozenset({COORDINATOR}), kwargs=_membership),
    "signals:organisation_signal_transfer": Row(allowed=frozenset({COORDINATOR}), kwargs=_signal),
    # issue 19: extending, informing later, the profile, team contact and cover (the colleague's cover starts
    # tomorrow, so today only the owner may act on the signal)
    "signals:extend": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    "signals:informing": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    "signals:profile": Row(allowed=PROFESSIONALS),
    "signals:cover_own": Row(allowed=PROFESSIONALS),
    "signals:cover_withdraw": Row(
        allowed=frozenset({OWNER, COLLEAGUE, COORDINATOR}),
        kwargs=lambda world: {"cover_id": world.objects["cover"].pk},
        method="post",
    ),
    "signals:organisation_covers": Row(allowed=frozenset({COORDINATOR})),
    "letters:informing_letters": Row(allowed=PROFESSIONALS),
    "letters:informing_letter": Row(
        allowed=PROFESSIONALS, kwargs=lambda world: {"group": "12-tot-16"}, kwargs_name_objects=False
    ),
    "letters:informing_letter_pdf": Row(
        allowed=PROFESSIONALS, kwargs=lambda world: {"group": "onder-12"}, kwargs_name_objects=False
    ),
    "letters:decision_letter": Row(
        allowed=frozenset({MUNICIPAL_STAFF, PROCESS_MANAGER}), kwargs=_object("completed_request")
    ),
    "letters:decision_letter_pdf": Row(
        allowed=frozenset({MUNICIPAL_STAFF, PROCESS_MANAGER}), kwargs=_object("completed_request")
    ),
    "signals:organisation_team_contact": Row(allowed=frozenset({COORDINATOR})),
    "matching:my_matches": Row(allowed=PROFESSIONALS),
    "matching:my_matches_seen": Row(allowed=PROFESSIONALS, method="post"),
    # the national match of an own signal (issue #22): its owner only
    "federation:national_match": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    # the follow-up of that national match: its coordinator only (the owner's signal coordinates it in the world)
    "federation:national_follow_up": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    # the hand-over of that role to a professional of another deployment: the coordinator proposes; the page with
    # accept and decline is for the professional it was proposed to (in the world: the matched professional's signal)
    "federation:national_handover_propose": Row(allowed=frozenset({OWNER}), kwargs=_signal, method="post"),
    "federation:national_handover": Row(allowed=frozenset({MATCHED}), kwargs=_object_signal("matched_signal")),
    "matching:signal_matches": Row(allowed=frozenset({OWNER}), kwargs=_signal),
    # the match: both professionals in it see it; the owner coordinates and proposed the hand-over to MATCHED
    "matching:match": Row(allowed=frozenset({OWNER, MATCHED}), kwargs=_match),
    "matching:handover_propose": Row(allowed=frozenset({OWNER}), kwargs=_match, method="post"),
    # the proposed professional (MATCHED) decides; another participant following an older e-mail's link is sent to
    # the match page they may see anyway, with a word why (302); nobody else gets anything
    "matching:handover": Row(allowed=frozenset({MATCHED, OWNER}), kwargs=_match),
    "matching:follow_up": Row(allowed=frozenset({OWNER}), kwargs=_match),
    "matching:monitor": Row(allowed=frozenset({MONITOR})),
    "matching:monitor_check": Row(allowed=frozenset({MONITOR}), kwargs=_match, method="post"),
}

# URL names that are not pages of this project's own (the technical admin is checked as a group).
ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api"
WEBHOOK_NAMESPACE = "anymail"
# calls of the national hub (mutual TLS, no user): tests/federation/test_regional_endpoint.py checks every caller
FEDERATION_ENDPOINTS = {"federation:exchange", "federation:follow_up", "federation:rights_inquiry"}


def _url_names(resolver=None, namespace: str | None = None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def project_url_names() -> list[str]:
    return sorted(
        {
            name
            for name in _url_names()
            if name.split(":")[0] not in (ADMIN_NAMESPACE, API_NAMESPACE, WEBHOOK_NAMESPACE)
            and name not in FEDERATION_ENDPOINTS
        }
    )


def test_every_url_has_a_row():
    missing = [name for name in project_url_names() if name not in MATRIX]
    assert not missing, f"views without a row in the permission matrix: {missing}"


def test_matrix_has_no_rows_for_urls_that_are_gone():
    names = set(project_url_names())
    assert not [name for name in MATRIX if name not in names]


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end; tests only read."""
    with django_db_blocker.unblock(), transaction.atomic():
        own = build_world(slug="midden-nederland", name="Verwijsindex Midden-Nederland", cbs_code="0344", prefix="mn")
        other = build_world(slug="haaglanden", name="Verwijsindex Haaglanden", cbs_code="0518", prefix="hl")
        own.log_everyone_in()
        other.log_everyone_in()
        yield own, other
        transaction.set_rollback(True)


def _ask(client, name: str, row: Row, world: World):
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
    return getattr(client, row.method)(url)


def _allowed(response) -> bool:
    if response.status_code in (200, 405):
        return True
    if response.status_code == 302:
        return "/account/inloggen/" not in response.url
    return False


def _refused(response, role: str) -> bool:
    if role == ANONYMOUS:
        return response.status_code == 302 and "/account/inloggen/" in response.url
    return response.status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(worlds, name):
    own, other = worlds
    row = MATRIX[name]
    failures = []
    for role in ROLES:
        response = _ask(own.client(role), name, row, own)
        expected_allowed = row.open or role in row.allowed or (role == ADMINISTRATOR and row.allowed == LOGGED_IN)
        if row.lands_on_login:
            ok = response.status_code == 302 and "/account/inloggen/" in response.url
        elif row.open_status is not None:
            ok = response.status_code == row.open_status
        elif row.allowed_status is not None and expected_allowed:
            ok = response.status_code == row.allowed_status
        else:
            ok = _allowed(response) if expected_allowed else _refused(response, role)
        if not ok:
            failures.append(f"{role} on own host: {response.status_code} {getattr(response, 'url', '')}")
        _assert_security_headers(response, failures, role)
    if not row.open and not row.second_factor_step:
        for role in ROLES:
            if role in (ANONYMOUS, ADMINISTRATOR):
                continue
            response = _ask(own.client(role, host=other.host), name, row, other)
            if not _refused(response, role):
                failures.append(f"{role} of this region on the other region's host: {response.status_code}")
        if row.kwargs and row.kwargs_name_objects:
            for role in row.allowed - {ANONYMOUS, ADMINISTRATOR}:
                response = _ask(other.client(role), name, row, own)
                if not _refused(response, role):
                    failures.append(
                        f"{role} of the other region asking for this region's object: {response.status_code}"
                    )
    assert not failures, f"{name}: " + "; ".join(failures)


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _assert_security_headers(response, failures: list, role: str) -> None:
    for header, expected in SECURITY_HEADERS.items():
        if expected not in response.headers.get(header, ""):
            failures.append(f"{role}: header {header} is {response.headers.get(header)!r}")


@pytest.mark.django_db
def test_strict_transport_security_is_sent_in_production(worlds, client, settings):
    own, _ = worlds
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("accounts:login"), HTTP_HOST=own.host, secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


@pytest.mark.django_db
def test_technical_admin_is_only_for_system_administrators(worlds):
    own, _ = worlds
    for role in ROLES:
        response = own.client(role).get(reverse("admin:index"))
        if role == ADMINISTRATOR:
            assert response.status_code == 200, role
        else:
            assert response.status_code in (302, 403), role
            if response.status_code == 302:
                assert "login" in response.url or "/account/inloggen/" in response.url, role


@pytest.mark.django_db
def test_e_mail_provider_webhooks_refuse_calls_without_the_webhook_secret(worlds, settings):
    own, _ = worlds
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "provider:webhook-secret"}
    names = [name for name in _url_names() if name.startswith("anymail:")]
    assert names
    for name in names:
        response = own.client(ANONYMOUS).post(reverse(name), data="{}", content_type="application/json")
        assert response.status_code in (400, 401, 403), name

"""Hostile input gets nowhere: every form of every page, filled with generated hostile values by a role
that may use it, never gives a server error, never echoes markup unescaped, and a missing or wrong
CSRF token is refused.

Most pages show their form on their own URL. The others are listed here: `STAGED` names, for each,
the state in which a user meets the form and the page that shows it (a later step of the placing
flow, a decision on a proposed hand-over, a button on a list), and the hostile values are posted from
there; `DOWNLOADS` are GET-only pages whose only input is the query string. A page that shows no form
and is in neither list fails the test, so no page drops out of this check unnoticed.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from matching.models import FollowUpCheck, Match
from persons.bsn import bsn_decrypt
from regions.models import InstitutionalAddress, MoveNotice, Organisation
from rights.models import AdviceTask, IdentityCheckMethod, RequesterCapacity, RequestKind, RequestStatus, RightsRequest
from rights.services import rights_request_register
from signals.models import Signal
from signals.views import FLOW
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.security.test_permission_matrix import ANONYMOUS, MATRIX, worlds  # noqa: F401 - the fixture
from tests.security.world import (
    COLLEAGUE,
    MATCHED,
    MONITOR,
    MUNICIPAL_STAFF,
    OWNER,
    PROCESS_MANAGER,
    ROLES,
    World,
)

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
            "0001-01",
            "9999-12",
            "2026-13",
            "../../etc/passwd",
            "' OR 1=1 --",
            "\x00",
            "﷽" * 20,
            "𝕍𝕚",
        ]
    ),
)
# a field posted once, several times (a list where one value is expected), or not at all
HOSTILE_VALUE = st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=2, max_size=3))
# fields no form declares: ids, flags and names a crafted request might try
JUNK_FIELD = st.one_of(
    st.sampled_from(["id", "pk", "region", "region_id", "status", "active", "is_staff", "user_id", "signal", "next"]),
    st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1, max_size=40),
)

_FIELD = re.compile(r'<(?:input|textarea|select|button)[^>]*\bname="([^"]+)"', re.IGNORECASE)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r'\baction="([^"]*)"', re.IGNORECASE)
_SKIP_FIELDS = {"csrfmiddlewaretoken"}

# where a page tells the user what happened: messages, field errors, errors above a form
_TOLD = re.compile(
    r'<div class="(?:vi-messages|utrecht-form-field-error-message|utrecht-alert utrecht-alert--error)"[^>]*>'
    r"(.*?)</div>",
    re.DOTALL,
)
_PARAGRAPH = re.compile(r'<p class="utrecht-paragraph">(.*?)</p>', re.DOTALL)
# Django's own messages, as they read when a translation is missing
_ENGLISH = ("Enter a", "Select a valid", "This field", "Ensure this value", "Null characters", "is not one of")


def _hostile_settings(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


def _page_fields(html: str) -> list[str]:
    return sorted(set(_FIELD.findall(html)) - _SKIP_FIELDS)


def _form_fields(html: str, action: str, page_url: str) -> list[str] | None:
    """The fields of the form on the page that posts to `action`; None when the page has no such form."""
    for attributes, body in _FORM.findall(html):
        found = _ACTION.search(attributes)
        target = found.group(1) if found and found.group(1) else page_url
        if target == action:
            return _page_fields(body)
    return None


def _told_in_dutch(html: str) -> list[str]:
    """What the page tells the user (messages and form errors); empty when it tells nothing."""
    texts = [text.strip() for block in _TOLD.findall(html) for text in _PARAGRAPH.findall(block)]
    english = [text for text in texts if any(marker in text for marker in _ENGLISH)]
    assert not english, f"untranslated message: {english}"
    return [text for text in texts if text]


# --- forms met elsewhere than on their own URL --------------------------------------------------


@dataclass
class Scene:
    own: World
    other: World
    settings: object


@dataclass(frozen=True)
class Staged:
    """A form that its own URL does not show (a POST-only action, or a step that needs earlier steps).

    `prepare` puts the page in the state where the user meets the form and returns the client, the
    page that shows the form and the URL the form posts to; it runs before every example, because a
    hostile post may well succeed (a button that takes no input does its work whatever is sent).
    `check` then says what must hold after the post: the action's own effect, or that nothing changed.
    """

    why: str
    prepare: Callable[[Scene], tuple[Client, str, str]]
    check: Callable[[Scene, Client, str], None]
    # the URL's object ids for another region's object (refused with hostile values as well)
    other_region_kwargs: Callable[[World], dict] | None = None
    # form fields that name objects, filled with the ids of another region's objects
    other_region_fields: Callable[[World], dict] | None = None
    # an accepted post that lands on the next page without a message (the placing flow's steps)
    lands_on: str | None = None


def _unverified(user, world: World) -> Client:
    """A client of someone who entered the password but not yet the second factor."""
    client = Client(HTTP_HOST=world.host)
    client.force_login(user)
    return client


def _is_verified(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def _prepare_two_factor(scene):
    url = reverse("accounts:two_factor")
    return _unverified(scene.own.users[OWNER], scene.own), url, url


def _check_still_unverified(scene, client, url):
    assert not _is_verified(client), "a hostile code passed the second step"


def _prepare_enrol(scene):
    user = MembershipFactory(role=Role.PROFESSIONAL, organisation=scene.own.objects["organisation"]).user
    assert not TOTPDevice.objects.filter(user=user).exists()
    url = reverse("accounts:enrol")
    return _unverified(user, scene.own), url, url


def _check_not_enrolled(scene, client, url):
    user_id = int(client.session["_auth_user_id"])
    assert not TOTPDevice.objects.filter(user_id=user_id, confirmed=True).exists()
    assert not _is_verified(client)


def _prepare_dev_shortcut(scene):
    scene.settings.DEV_TWO_FACTOR_SHORTCUT = True
    user = MembershipFactory(
        role=Role.PROFESSIONAL, organisation=scene.own.objects["organisation"], user=UserFactory(is_demo=True)
    ).user
    TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return _unverified(user, scene.own), reverse("accounts:two_factor"), reverse("accounts:dev_shortcut")


def _check_demo_logged_in(scene, client, url):
    # the shortcut takes no input: whatever else is posted, the demo account is in, and only that one
    assert _is_verified(client)


def _match(world: World) -> Match:
    return Match.objects.get(pk=world.objects["match"].pk)


def _reference(world: World) -> dict:
    return {"reference": world.objects["match"].reference}


def _prepare_decision(scene):
    own = scene.own
    page = reverse("matching:handover", kwargs=_reference(own))
    return own.client(MATCHED), page, page


def _check_proposal_stands(scene, client, url):
    match = _match(scene.own)
    assert match.coordinator_signal_id == scene.own.objects["signal"].pk
    assert match.proposed_signal_id == scene.own.objects["matched_signal"].pk


def _prepare_handover(scene):
    own = scene.own
    page = reverse("matching:match", kwargs=_reference(own))
    post = reverse("matching:handover_propose", kwargs=_reference(own))
    return own.client(OWNER), page, post


def _check_coordinator_unchanged(scene, client, url):
    # a proposal never makes anyone coordinator, and only a participant can be proposed
    match = _match(scene.own)
    assert match.coordinator_signal_id == scene.own.objects["signal"].pk
    assert match.proposed_signal_id == scene.own.objects["matched_signal"].pk


def _prepare_followup_check(scene):
    own = scene.own
    post = reverse("matching:monitor_check", kwargs=_reference(own))
    return own.client(MONITOR), reverse("matching:monitor"), post


def _prepare_mark_seen(scene):
    from matching.models import MatchOverviewVisit

    MatchOverviewVisit.objects.filter(user=scene.own.users[OWNER]).delete()  # never marked: the button shows
    return scene.own.client(OWNER), reverse("matching:my_matches"), reverse("matching:my_matches_seen")


def _check_marked_seen_for_the_user_only(scene, client, url):
    from matching.models import MatchOverviewVisit

    assert list(MatchOverviewVisit.objects.values_list("user_id", flat=True)) == [scene.own.users[OWNER].pk]


def _check_notes_of_this_match_only(scene, client, url):
    checks = FollowUpCheck.objects.filter(region=scene.own.region)
    assert set(checks.values_list("match_id", flat=True)) <= {scene.own.objects["match"].pk}
    assert all(len(note) <= 500 and "\x00" not in note for note in checks.values_list("note", flat=True))


def _prepare_address_remove(scene):
    own = scene.own
    address = InstitutionalAddress.objects.create(
        region=own.region, bag_pseudonym="hostile-bag", postcode="3511AB", house_number=2, description="Tijdelijk"
    )
    post = reverse("regions:institutional_address_remove", kwargs={"pk": address.pk})
    return own.client(PROCESS_MANAGER), reverse("regions:institutional_addresses"), post


def _check_only_that_address_removed(scene, client, url):
    region_addresses = InstitutionalAddress.objects.filter(region=scene.own.region)
    assert not region_addresses.filter(bag_pseudonym="hostile-bag").exists()
    assert region_addresses.filter(pk=scene.own.objects["institutional_address"].pk).exists()


def _prepare_move_notice(scene):
    own = scene.own
    notice = own.objects["move_notice"]
    MoveNotice.objects.filter(pk=notice.pk).update(handled_at=None, handled_by=None)
    post = reverse("regions:move_notice_handle", kwargs={"pk": notice.pk})
    return own.client(PROCESS_MANAGER), reverse("regions:move_notice_list"), post


def _check_notice_handled(scene, client, url):
    notice = MoveNotice.objects.get(pk=scene.own.objects["move_notice"].pk)
    assert notice.handled_by_id == scene.own.users[PROCESS_MANAGER].pk


def _prepare_reactivate(scene):
    own = scene.own
    organisation = own.objects["organisation"]
    Organisation.objects.filter(pk=organisation.pk).update(active=False)
    page = reverse("regions:organisation_detail", kwargs={"pk": organisation.pk})
    post = reverse("regions:organisation_reactivate", kwargs={"pk": organisation.pk})
    return own.client(PROCESS_MANAGER), page, post


def _check_reactivated(scene, client, url):
    assert Organisation.objects.get(pk=scene.own.objects["organisation"].pk).active


def _new_request(world: World, kind: str) -> RightsRequest:
    return rights_request_register(
        actor=world.users[MUNICIPAL_STAFF],
        municipality=world.objects["municipality"],
        kind=kind,
        bsn=bsn_decrypt(world.objects["youth"].bsn_encrypted),
        requester_name="Ouder van de jeugdige",
        requester_capacity=RequesterCapacity.PARENT,
        identity_checked=True,
        identity_check_method=IdentityCheckMethod.ID_DOCUMENT,
        received_on=datetime.date.today(),
    )


def _prepare_advice(scene):
    own = scene.own
    objection = _new_request(own, RequestKind.OBJECTION)
    page = reverse("rights:request_detail", kwargs={"pk": objection.pk})
    post = reverse("rights:request_advice", kwargs={"pk": objection.pk})
    return own.client(MUNICIPAL_STAFF), page, post


def _check_advice_on_this_youth_only(scene, client, url):
    rights_request = RightsRequest.objects.get(pk=resolve(url).kwargs["pk"])
    tasks = AdviceTask.objects.filter(request=rights_request)
    youth_signals = set(Signal.objects.filter(youth=scene.own.objects["youth"]).values_list("pk", flat=True))
    assert set(tasks.values_list("signal_id", flat=True)) <= youth_signals
    expected = RequestStatus.ADVICE_REQUESTED if tasks.exists() else RequestStatus.RECEIVED
    assert rights_request.status == expected


def _prepare_cover_withdraw(scene):
    """A fresh cover of the owner (from tomorrow), met in the owner's cover list with its 'end' button."""
    from signals.models import Cover

    own = scene.own
    cover = Cover.objects.create(
        organisation=own.objects["organisation"],
        absent=own.users[OWNER],
        covering=own.users[COLLEAGUE],
        starts_on=datetime.date.today() + datetime.timedelta(days=1),
        ends_on=datetime.date.today() + datetime.timedelta(days=3),
        created_by=own.users[OWNER],
    )
    post = reverse("signals:cover_withdraw", kwargs={"cover_id": cover.pk})
    return own.client(OWNER), reverse("signals:cover_own"), post


def _check_cover_withdrawn(scene, client, url):
    from signals.models import Cover

    assert Cover.objects.get(pk=resolve(url).kwargs["cover_id"]).withdrawn_at is not None


# a youth of the embedded BRP (born 1 January 2017) on whom nobody in the world has a signal
FLOW_BSN, FLOW_BIRTH_DATE = "999970033", "2017-01-01"


def _placing_flow_at(scene, step: int) -> Client:
    """The owner's client with the placing flow done up to `step`, through the pages themselves."""
    client = scene.own.client(OWNER)
    response = client.post(reverse("signals:place"), {"bsn": FLOW_BSN, "birth_date": FLOW_BIRTH_DATE})
    assert response.status_code == 302 and response["Location"] == reverse("signals:place_confirm")
    if step >= 3:
        assert client.post(reverse("signals:place_confirm"))["Location"] == reverse("signals:place_profile")
    if step >= 4:
        response = client.post(reverse("signals:place_profile"), {"weighed": "on"})
        assert response["Location"] == reverse("signals:place_informing")
    return client


def _prepare_place_step(name: str, step: int):
    def prepare(scene):
        url = reverse(name)
        return _placing_flow_at(scene, step), url, url

    return prepare


def _prepare_place_cancel(scene):
    return _placing_flow_at(scene, 2), reverse("signals:place_confirm"), reverse("signals:place_cancel")


def _check_nothing_placed(scene, client, url):
    assert (
        not Signal.objects.filter(professional=scene.own.users[OWNER])
        .exclude(pk__in=[scene.own.objects["signal"].pk, scene.own.objects["unborn_signal"].pk])
        .exists()
    )


def _check_flow_at(*steps: int):
    """Nothing placed, and the flow at one of `steps` (none: the flow is gone from the session)."""

    def check(scene, client, url):
        _check_nothing_placed(scene, client, url)
        state = client.session.get(FLOW)
        if not steps:
            assert state is None, "the cancelled flow is still in the session"
        else:
            assert state and state["step"] in steps, f"the flow is at {state}"

    return check


def _prepare_passkey_remove(scene):
    import secrets

    from django_otp_webauthn.models import WebAuthnCredential

    owner = scene.own.users[OWNER]
    passkey = WebAuthnCredential.objects.create(
        user=owner, name="Sleutel", confirmed=True, credential_id=secrets.token_bytes(32),
        public_key=secrets.token_bytes(77), aaguid="00000000-0000-0000-0000-000000000000",
    )  # fmt: skip
    post = reverse("accounts:passkey_remove", kwargs={"passkey_id": passkey.pk})
    return scene.own.client(OWNER), reverse("accounts:passkeys"), post


def _check_passkey_removed(scene, client, url):
    from django_otp_webauthn.models import WebAuthnCredential

    assert not WebAuthnCredential.objects.filter(pk=resolve(url).kwargs["passkey_id"]).exists()


def _prepare_remote_signals(scene):
    """Issue #22: the button on a request's page of a deployment linked to a hub (here a hub that cannot be
    reached: certificates of a throw-away CA, a closed port), so the post ends in the page's message."""
    import tempfile
    from pathlib import Path

    from tests.federation.pki import Pki

    pki = Pki(Path(tempfile.mkdtemp()))
    hub, own_cert = pki.issue("hub"), pki.issue("region-a")
    scene.settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    scene.settings.FEDERATION_HUB_URL = "https://127.0.0.1:9"
    scene.settings.FEDERATION_HUB_CERT = str(hub["cert"])
    scene.settings.FEDERATION_TLS_CERT = str(own_cert["cert"])
    scene.settings.FEDERATION_TLS_KEY = str(own_cert["key"])
    scene.settings.FEDERATION_TLS_CA = str(pki.ca_path)
    rights_request = _new_request(scene.own, RequestKind.INSPECTION)
    page = reverse("rights:request_detail", kwargs={"pk": rights_request.pk})
    post = reverse("rights:request_remote_signals", kwargs={"pk": rights_request.pk})
    return scene.own.client(MUNICIPAL_STAFF), page, post


def _check_nothing_listed(scene, client, url):
    from federation.models import RemoteSignalListing

    assert not RemoteSignalListing.objects.filter(rights_request_id=resolve(url).kwargs["pk"]).exists()


STAGED: dict[str, Staged] = {
    "accounts:passkey_remove": Staged(
        why="a button per passkey on the list of one's own passkeys",
        prepare=_prepare_passkey_remove,
        check=_check_passkey_removed,
    ),
    "accounts:two_factor": Staged(
        why="shown only to someone logged in with a password and not yet with the second factor",
        prepare=_prepare_two_factor,
        check=_check_still_unverified,
    ),
    "accounts:enrol": Staged(
        why="shown only to someone without a second factor yet",
        prepare=_prepare_enrol,
        check=_check_not_enrolled,
    ),
    "accounts:dev_shortcut": Staged(
        why="a button on the second step, for demo accounts in the development profile only",
        prepare=_prepare_dev_shortcut,
        check=_check_demo_logged_in,
    ),
    "matching:handover": Staged(
        why="the decision buttons on the match page of the professional the hand-over is proposed to",
        prepare=_prepare_decision,
        check=_check_proposal_stands,
        other_region_kwargs=_reference,
    ),
    "matching:handover_propose": Staged(
        why="the hand-over form on the match page of the coordinator",
        prepare=_prepare_handover,
        check=_check_coordinator_unchanged,
        other_region_kwargs=_reference,
        other_region_fields=lambda world: {"signal": world.objects["matched_signal"].pk},
    ),
    "matching:signal_matches": Staged(
        why="the old link of a signal's matches leads to the match page, whose form is the hand-over",
        prepare=_prepare_handover,
        check=_check_coordinator_unchanged,
    ),
    "matching:match": Staged(
        why="the match page shows the coordinator the hand-over form, which posts to its own URL",
        prepare=_prepare_handover,
        check=_check_coordinator_unchanged,
    ),
    "matching:my_matches_seen": Staged(
        why="the button 'Markeren als gezien' on My matches",
        prepare=_prepare_mark_seen,
        check=_check_marked_seen_for_the_user_only,
    ),
    "matching:monitor_check": Staged(
        why="a note per overdue match on the follow-up monitor's list",
        prepare=_prepare_followup_check,
        check=_check_notes_of_this_match_only,
        other_region_kwargs=_reference,
    ),
    "regions:institutional_address_remove": Staged(
        why="a button per address on the list of institutional addresses",
        prepare=_prepare_address_remove,
        check=_check_only_that_address_removed,
        other_region_kwargs=lambda world: {"pk": world.objects["institutional_address"].pk},
    ),
    "regions:move_notice_handle": Staged(
        why="a button per unhandled notice on the list of move notices",
        prepare=_prepare_move_notice,
        check=_check_notice_handled,
        other_region_kwargs=lambda world: {"pk": world.objects["move_notice"].pk},
    ),
    "regions:organisation_reactivate": Staged(
        why="a button on the page of an inactive organisation",
        prepare=_prepare_reactivate,
        check=_check_reactivated,
        other_region_kwargs=lambda world: {"pk": world.objects["organisation"].pk},
    ),
    "rights:request_advice": Staged(
        why="the choice of signals on the page of an objection or correction that was just received",
        prepare=_prepare_advice,
        check=_check_advice_on_this_youth_only,
        other_region_kwargs=lambda world: {"pk": world.objects["objection"].pk},
        other_region_fields=lambda world: {"signals": [world.objects["signal"].pk, world.objects["matched_signal"].pk]},
    ),
    "rights:request_remote_signals": Staged(
        why="the button on the page of a request, when the deployment is linked to the national hub",
        prepare=_prepare_remote_signals,
        check=_check_nothing_listed,
        other_region_kwargs=lambda world: {"pk": world.objects["copy_request"].pk},
    ),
    "signals:cover_withdraw": Staged(
        why="an 'end' button per cover in the list of covers",
        prepare=_prepare_cover_withdraw,
        check=_check_cover_withdrawn,
        other_region_kwargs=lambda world: {"cover_id": world.objects["cover"].pk},
    ),
    "signals:place_confirm": Staged(
        why="step 2 of placing: needs step 1 done in the session",
        prepare=_prepare_place_step("signals:place_confirm", 2),
        check=_check_flow_at(3),  # the step only asks 'is this the youth?': it takes no input
        lands_on="signals:place_profile",
    ),
    "signals:place_profile": Staged(
        why="step 3 of placing: needs steps 1 and 2 done in the session",
        prepare=_prepare_place_step("signals:place_profile", 3),
        check=_check_flow_at(3, 4),  # weighed (any non-empty value but '0'/'false') or not
        lands_on="signals:place_informing",
    ),
    "signals:place_informing": Staged(
        why="step 4 of placing: needs steps 1 to 3 done in the session",
        prepare=_prepare_place_step("signals:place_informing", 4),
        check=_check_flow_at(4),
    ),
    "signals:place_cancel": Staged(
        why="the 'start again' button on step 2 of placing",
        prepare=_prepare_place_cancel,
        check=_check_flow_at(),
    ),
}


def _region_state(world: World) -> dict:
    """What a post in another region must never change."""
    region = world.region
    return {
        "signals": sorted(Signal.objects.filter(organisation__region=region).values_list("pk", "status")),
        "matches": sorted(
            Match.objects.filter(participations__signal__youth=world.objects["youth"])
            .distinct()
            .values_list("pk", "coordinator_signal_id", "proposed_signal_id", "coordination_agreed_on")
        ),
        "organisations": sorted(Organisation.objects.filter(region=region).values_list("pk", "active")),
        "addresses": sorted(InstitutionalAddress.objects.filter(region=region).values_list("pk", flat=True)),
        "move_notices": sorted(MoveNotice.objects.filter(region=region).values_list("pk", "handled_at")),
        "rights_requests": sorted(RightsRequest.objects.filter(region=region).values_list("pk", "status")),
        "advice_tasks": AdviceTask.objects.filter(request__region=region).count(),
        "follow_up_checks": FollowUpCheck.objects.filter(region=region).count(),
        "devices": sorted(
            TOTPDevice.objects.filter(user__in=list(world.users.values())).values_list("pk", "confirmed")
        ),
    }


def _hostile_form(data, fields: list[str]) -> dict:
    """Hostile values for the form's fields (some left out, some repeated) and fields it never declared."""
    left_out = data.draw(st.sets(st.sampled_from(fields), max_size=len(fields)) if fields else st.just(set()))
    values = {field: data.draw(HOSTILE_VALUE) for field in fields if field not in left_out}
    values.update(data.draw(st.dictionaries(JUNK_FIELD, HOSTILE_VALUE, max_size=3)))
    return values


def _assert_answered_well(name: str, client: Client, response, values: dict, lands_on: str | None) -> None:
    """Never a server error or unescaped markup; a 4xx, or a normal page that tells the user in Dutch."""
    assert response.status_code < 500, f"{name}: {response.status_code} for {values!r:.300}"
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body, f"{name} echoed markup unescaped"
    if response.status_code != 200:
        assert 400 <= response.status_code < 500, f"{name}: {response.status_code} after the redirects"
        return
    landed = response.redirect_chain[-1][0] if response.redirect_chain else None
    if lands_on and landed == reverse(lands_on):
        return
    assert _told_in_dutch(body), f"{name}: the page says nothing after {values!r:.300}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STAGED))
def test_hostile_values_in_forms_met_on_another_page_never_break_it(worlds, brp_embedded, settings, name):  # noqa: F811
    own, other = worlds
    staged = STAGED[name]
    scene = Scene(own=own, other=other, settings=settings)
    other_before = _region_state(other)

    @_hostile_settings(5)
    @given(data=st.data())
    def post_hostile(data):
        client, page_url, post_url = staged.prepare(scene)
        page = client.get(page_url)
        assert page.status_code == 200, f"{name}: {page_url} answers {page.status_code}"
        fields = _form_fields(page.content.decode(errors="replace"), post_url, page_url)
        assert fields is not None, f"{name}: {page_url} shows no form that posts to {post_url}"
        values = _hostile_form(data, fields)
        response = client.post(post_url, values, follow=True)
        _assert_answered_well(name, client, response, values, staged.lands_on)
        staged.check(scene, client, post_url)
        assert _region_state(other) == other_before, f"{name} changed another region's data"

    post_hostile()

    if staged.other_region_kwargs:
        # the same hostile post, at the id of the same kind of object in the other region
        client, _page_url, _post_url = staged.prepare(scene)
        url = reverse(name, kwargs=staged.other_region_kwargs(other))
        response = client.post(url, {"note": SCRIPT, "signal": "1", "decision": "accept", "signals": ["1"]})
        assert response.status_code == 404, f"{name} on another region's object: {response.status_code}"
        assert _region_state(other) == other_before

    if staged.other_region_fields:
        # this region's form, naming another region's objects in its fields
        client, _page_url, post_url = staged.prepare(scene)
        values = staged.other_region_fields(other)
        response = client.post(post_url, values, follow=True)
        _assert_answered_well(name, client, response, values, staged.lands_on)
        staged.check(scene, client, post_url)
        assert _region_state(other) == other_before


@pytest.mark.django_db
def test_the_demo_shortcut_does_not_exist_outside_the_development_profile(worlds, settings):  # noqa: F811
    own, _ = worlds
    assert settings.DEV_TWO_FACTOR_SHORTCUT is False
    demo = MembershipFactory(
        role=Role.PROFESSIONAL, organisation=own.objects["organisation"], user=UserFactory(is_demo=True)
    ).user
    TOTPDevice.objects.create(user=demo, name="demo", confirmed=True)
    for user in (demo, own.users[OWNER]):
        client = _unverified(user, own)
        assert (
            'action="{}"'.format(reverse("accounts:dev_shortcut"))
            not in client.get(reverse("accounts:two_factor")).content.decode()
        )
        response = client.post(reverse("accounts:dev_shortcut"), {"next": "/", "is_demo": "1", "token": "\x00"})
        assert response.status_code == 404
        assert not _is_verified(client)
    # in the development profile, still only for demo accounts
    settings.DEV_TWO_FACTOR_SHORTCUT = True
    client = _unverified(own.users[OWNER], own)
    assert client.post(reverse("accounts:dev_shortcut"), {"is_demo": "1"}).status_code == 404
    assert not _is_verified(client)


# --- GET-only pages whose input is the query string ----------------------------------------------


@dataclass(frozen=True)
class Download:
    why: str
    role: str
    # the query parameters the page reads (the rest are junk to it)
    parameters: tuple[str, ...]
    content_type: str
    max_examples: int = 6


DOWNLOADS: dict[str, Download] = {
    "reports:statistics_csv": Download(
        why="a CSV file of the period chosen on the statistics page",
        role=PROCESS_MANAGER,
        parameters=("first", "last"),
        content_type="text/csv",
    ),
    "letters:informing_letter_pdf": Download(
        why="the informing letter as a PDF; reads nothing from the request (WeasyPrint is slow)",
        role=OWNER,
        parameters=(),
        content_type="application/pdf",
        max_examples=2,
    ),
    "letters:decision_letter_pdf": Download(
        why="the decision letter as a PDF; reads nothing from the request (WeasyPrint is slow)",
        role=MUNICIPAL_STAFF,
        parameters=(),
        content_type="application/pdf",
        max_examples=2,
    ),
    "rights:request_pdf": Download(
        why="a PDF copy for the requester; reads nothing from the request (few examples: WeasyPrint is slow)",
        role=MUNICIPAL_STAFF,
        parameters=(),
        content_type="application/pdf",
        max_examples=2,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_hostile_query_strings_never_break_a_download(worlds, name):  # noqa: F811
    own, _ = worlds
    download = DOWNLOADS[name]
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(own) if row.kwargs else None)
    client = own.client(download.role)

    @_hostile_settings(download.max_examples)
    @given(data=st.data())
    def get_hostile(data):
        query = _hostile_form(data, list(download.parameters))
        response = client.get(url, query)
        assert response.status_code == 200, f"{name}: {response.status_code} for {query!r:.300}"
        assert response["Content-Type"].startswith(download.content_type)
        assert SCRIPT.encode() not in response.content

    get_hostile()


@pytest.mark.django_db
def test_hostile_periods_on_the_statistics_page_get_a_dutch_message(worlds):  # noqa: F811
    own, _ = worlds
    client = own.client(PROCESS_MANAGER)
    url = reverse("reports:statistics")

    @_hostile_settings(8)
    @given(first=HOSTILE_VALUE, last=HOSTILE_VALUE)
    def get_hostile(first, last):
        response = client.get(url, {"first": first, "last": last})
        assert response.status_code == 200, f"{response.status_code} for {first!r:.100}, {last!r:.100}"
        body = response.content.decode()
        assert SCRIPT not in body
        if response.context["form"].errors:
            assert _told_in_dutch(body)

    get_hostile()


# --- the passkey ceremonies: JSON from django-otp-webauthn's script, not forms ------------------

CEREMONIES = {
    "otp_webauthn:credential-registration-begin": "asks the server for the options of a new passkey",
    "otp_webauthn:credential-registration-complete": "sends the authenticator's new credential",
    "otp_webauthn:credential-authentication-begin": "asks the server for a challenge at the second step",
    "otp_webauthn:credential-authentication-complete": "sends the authenticator's signed challenge",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CEREMONIES))
def test_hostile_bodies_never_break_a_passkey_ceremony_nor_pass_the_second_step(worlds, name):  # noqa: F811
    own, _ = worlds
    client = _unverified(own.users[OWNER], own)
    url = reverse(name)
    body = st.one_of(
        HOSTILE_TEXT,
        st.dictionaries(st.sampled_from(["id", "rawId", "type", "response", "clientDataJSON"]), HOSTILE_VALUE),
    )

    @_hostile_settings(8)
    @given(body=body)
    def post_hostile(body):
        client.post(reverse("otp_webauthn:credential-authentication-begin"))
        payload = body if isinstance(body, str) else __import__("json").dumps(body)
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code < 500, f"{name}: {response.status_code} for {payload!r:.200}"
        assert SCRIPT.encode() not in response.content
        assert not _is_verified(client), f"{name}: a hostile body passed the second step"

    post_hostile()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CEREMONIES))
def test_a_body_json_takes_for_utf16_never_breaks_a_passkey_ceremony(worlds, name):  # noqa: F811
    # found by the test above: json.loads reads a body starting with a NUL byte as UTF-16 and fails to decode it
    own, _ = worlds
    client = _unverified(own.users[OWNER], own)
    client.post(reverse("otp_webauthn:credential-authentication-begin"))
    response = client.post(reverse(name), "\x000", content_type="application/json")
    assert response.status_code < 500, response.content[:200]


# --- pages that show their own form -------------------------------------------------------------


# pages that take no input but the token in their URL (hostile tokens: their own tests)
NO_FORM = {
    "accounts:enrolment_link": "the one-time link e-mailed after a second-factor reset "
    "(tests/security/test_account_takeover.py)",
}


def _form_pages():
    """(url name, row, role) for every page with its own form that some role may open."""
    for name, row in sorted(MATRIX.items()):
        if (
            (row.open and name not in ("accounts:login",))
            or name in STAGED
            or name in DOWNLOADS
            or name in CEREMONIES
            or name in NO_FORM
        ):
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
    fields = _page_fields(page.content.decode(errors="replace"))
    assert fields, f"{name} shows no form to {role}: list it in STAGED (where its form is) or in DOWNLOADS"

    @_hostile_settings(8)
    @given(data=st.data())
    def post_hostile(data):
        values = _hostile_form(data, fields)
        response = client.post(url, values)
        assert response.status_code < 500, f"{name}: {response.status_code} for {values!r:.200}"
        body = response.content.decode(errors="replace")
        assert SCRIPT not in body, f"{name} echoed markup unescaped"

    post_hostile()


def test_every_page_without_a_form_of_its_own_says_why():
    for name, entry in {**STAGED, **DOWNLOADS}.items():
        assert name in MATRIX, f"{name} is no page of the project any more"
        assert entry.why
    assert not set(STAGED) & set(DOWNLOADS)


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

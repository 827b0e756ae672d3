"""A regional deployment's federation endpoint: only the hub's certificate, signed, may call it; every role of the
permission matrix (logged in or not) is refused; a relayed exchange records the partner and mails once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from federation import regional
from federation.models import FederatedSignal, RemoteParticipant
from notifications.models import Notification
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.federation.conftest import Caller
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

MONITOR_START = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture
def regional_settings(settings, pki):
    settings.VERWIJSINDEX_ROLE = "regional"
    settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    settings.FEDERATION_HUB_URL = "https://hub.invalid"
    settings.FEDERATION_TLS_CERT = str(pki["region-a"]["cert"])
    settings.FEDERATION_TLS_KEY = str(pki["region-a"]["key"])
    settings.FEDERATION_HUB_CERT = str(pki["hub"]["cert"])
    return settings


@pytest.fixture
def federated_signal(regional_settings):
    signal = SignalFactory()
    FederatedSignal.objects.create(signal_id=signal.pk, reference="a" * 32)
    return signal


def _exchange(**overrides) -> dict:
    return {
        "from_deployment": "region-b",
        "from_reference": "b" * 32,
        "from_state": "active",
        "from_placed_on": "2026-12-01",
        "to_reference": "a" * 32,
        "kinds": ["parent"],
        "national_match": "L-000007",
        "coordinator": {"deployment": "region-b", "reference": "b" * 32},
        "contact": {"name": "Carla Claassen", "organisation": "Jeugdteam B", "email": "carla@example.nl", "phone": ""},
        **overrides,
    }


def test_the_hub_relays_an_exchange_and_the_professional_is_mailed_once(federated_signal, pki):
    hub = Caller("hub", pki)
    path = reverse("federation:exchange")
    first = hub.post(path, _exchange(), sender="hub")
    assert first.status_code == 200
    assert first.json()["contact"]["email"] == federated_signal.contact_email
    again = hub.post(path, _exchange(), sender="hub")  # a new idempotency key: handled again, nothing twice
    assert again.status_code == 200
    assert RemoteParticipant.objects.filter(signal_id=federated_signal.pk).count() == 1
    mails = Notification.objects.filter(recipient=federated_signal.professional)
    assert mails.count() == 1
    context = mails.get().context
    assert context["match_reference"] == "L-000007"
    assert context["coordinator"]["name"] == "Carla Claassen"


def test_an_exchange_for_a_signal_that_is_gone_is_refused(regional_settings, pki):
    response = Caller("hub", pki).post(reverse("federation:exchange"), _exchange(to_reference="c" * 32), sender="hub")
    assert response.status_code == 410


@pytest.mark.parametrize("who", ["region-a", "region-b", "stranger", "operator"])
def test_only_the_hub_may_call(federated_signal, pki, who):
    response = Caller(who, pki).post(reverse("federation:exchange"), _exchange())
    assert response.status_code == 403
    assert not RemoteParticipant.objects.exists()


def test_users_of_every_role_are_refused(federated_signal, professional_user, region, manager):
    path = reverse("federation:exchange")
    for client in (Client(), client_for(professional_user, region), client_for(manager, region)):
        assert client.post(path, _exchange(), content_type="application/json").status_code == 403
        assert client.get(path).status_code in (403, 405)
    assert not RemoteParticipant.objects.exists()


def test_placing_a_signal_queues_its_registration_and_ending_it_its_withdrawal(regional_settings):
    from signals import hooks
    from signals.models import EndReason

    signal = SignalFactory()
    hooks.signal_placed(signal)
    federated = FederatedSignal.objects.get(signal_id=signal.pk)
    assert len(federated.reference) == 32  # random: nothing of the signal or the youth in it
    hooks.signals_ending([signal], EndReason.PLACED_WRONGLY)
    from federation.models import OutboxMessage

    assert list(OutboxMessage.objects.order_by("id").values_list("operation", flat=True)) == ["register", "withdraw"]
    assert OutboxMessage.objects.get(operation="withdraw").body == {"reference": federated.reference}


def test_a_deployment_not_linked_to_a_hub_queues_nothing(settings):
    settings.FEDERATION_HUB_URL = ""
    signal = SignalFactory()
    assert regional.signal_federate(signal=signal) is None
    assert not FederatedSignal.objects.exists()


def test_the_owner_sees_the_national_match_with_the_other_deployments_professional_and_the_coordinator(
    federated_signal, pki
):
    from accounts.models import Membership

    Caller("hub", pki).post(reverse("federation:exchange"), _exchange(), sender="hub")
    region = federated_signal.organisation.region
    Membership.objects.filter(user=federated_signal.professional).update(organisation=federated_signal.organisation)
    client = client_for(federated_signal.professional, region)
    page = client.get(reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "L-000007" in content and "carla@example.nl" in content and "Jeugdteam B" in content
    # the e-mail links to this page on the region's host
    mail = Notification.objects.get(recipient=federated_signal.professional)
    assert mail.context["matches"][0]["url"].endswith(f"/federation/signalen/{federated_signal.pk}/landelijke-match/")


def test_notices_forget_a_destroyed_partner_label_an_archived_one_and_move_the_coordinator(federated_signal, pki):
    hub = Caller("hub", pki)
    hub.post(reverse("federation:exchange"), _exchange(), sender="hub")
    hub.post(reverse("federation:exchange"), _exchange(from_reference="d" * 32), sender="hub")
    regional.notice_apply(
        {"reference": "a" * 32, "event": "archived", "from_deployment": "region-b", "from_reference": "d" * 32}
    )
    regional.notice_apply(
        {"reference": "a" * 32, "event": "withdrawn", "from_deployment": "region-b", "from_reference": "b" * 32}
    )
    regional.notice_apply(
        {
            "reference": "a" * 32,
            "event": "coordinator",
            "coordinator": {"deployment": "region-a", "reference": "a" * 32},
        }
    )
    assert list(RemoteParticipant.objects.values_list("reference", "state")) == [("d" * 32, "archived")]
    federated = FederatedSignal.objects.get(signal_id=federated_signal.pk)
    assert (federated.coordinator_deployment, federated.coordinator_reference) == ("region-a", "a" * 32)
    assert regional.coordinator_contact(federated)["email"] == federated_signal.contact_email


# --- one national match, one coordinator by the rules (fedcoord) ----------------------------------------------

from tests.matching.conftest import brp_youth, haaglanden, place  # noqa: E402, F401 - shared fixtures
from tests.notifications.conftest import celery_eager  # noqa: E402, F401 - used by `place`


@pytest.fixture
def family_here(settings, brp_youth, place, haaglanden, pki):  # noqa: F811
    """Two siblings signalled here by youth care (one local match, the earlier signal decides the national match),
    known to the hub as national match L-000007 with two professionals of region-b: Carla (youth care) and Fleur
    (a school). Placed before this deployment is linked, so nothing is sent."""
    import datetime

    from django.utils import timezone

    from accounts.models import Membership
    from regions.models import Sector, Subtype
    from tests.regions.factories import OrganisationFactory

    settings.FEDERATION_HUB_URL = ""
    organisation = OrganisationFactory(region=haaglanden, sector=Sector.YOUTH_CARE, subtype=Subtype.WIJKTEAM)
    earlier = timezone.now() - datetime.timedelta(days=2)
    first = place(youth=brp_youth("999970033"), organisation=organisation, placed_at=earlier)
    second = place(youth=brp_youth("999970045"), organisation=organisation, placed_at=earlier + datetime.timedelta(1))
    for signal in (first, second):
        Membership.objects.filter(user=signal.professional).update(organisation=organisation)
    settings.VERWIJSINDEX_ROLE = "regional"
    settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    settings.FEDERATION_HUB_URL = "https://hub.invalid"
    settings.FEDERATION_TLS_CERT = str(pki["region-a"]["cert"])
    settings.FEDERATION_TLS_KEY = str(pki["region-a"]["key"])
    settings.FEDERATION_HUB_CERT = str(pki["hub"]["cert"])
    federated = [
        FederatedSignal.objects.create(
            signal_id=signal.pk,
            reference=reference * 32,
            national_match="L-000007",
            coordinator_deployment="region-a",
            coordinator_reference="a" * 32,
            registered_at=timezone.now(),
        )
        for signal, reference in ((first, "a"), (second, "e"))
    ]
    for reference, name, sector, subtype in (
        ("b", "Carla Claassen", Sector.YOUTH_CARE, Subtype.YOUTH_CARE_PROVIDER),
        ("c", "Fleur Fransen", Sector.EDUCATION, Subtype.SCHOOL),
    ):
        RemoteParticipant.objects.create(
            signal_id=first.pk,
            deployment="region-b",
            reference=reference * 32,
            kinds=["parent"],
            contact_name=name,
            organisation=f"Organisatie van {name}",
            contact_email=f"{name.split()[0].lower()}@example.nl",
            sector=sector,
            subtype=subtype,
            placed_on=timezone.localdate(),
        )
    return {"signals": (first, second), "federated": federated, "region": haaglanden}


def _coordinator_mails():
    return Notification.objects.filter(kind="match_coordinator_changed").order_by("id")


def test_the_deciding_deployment_applies_its_regions_rules_over_its_own_and_the_other_deployments_participants(
    family_here,
):
    from federation.models import OutboxMessage
    from regions.models import CoordinatorRule, Sector

    decider = family_here["federated"][0]
    # no rules: the deciding signal itself (the hub's stand-in): nothing to report
    assert regional.national_coordinator_choice(decider) == ("region-a", "a" * 32)
    regional.national_coordinator_decide(decider={"deployment": "region-a", "reference": "a" * 32})
    assert not OutboxMessage.objects.filter(operation="coordinator").exists()
    # the region where the deciding signal's youth lives puts a school first: the school in the other deployment
    CoordinatorRule.objects.create(region=family_here["region"], position=1, sector=Sector.EDUCATION)
    assert regional.national_coordinator_choice(decider) == ("region-b", "c" * 32)
    for _twice in range(2):
        regional.national_coordinator_decide(decider={"deployment": "region-a", "reference": "a" * 32})
    assert OutboxMessage.objects.filter(operation="coordinator", state="pending").count() == 1
    # a signal that does not decide here (another deployment's, or not ours) queues nothing
    regional.national_coordinator_decide(decider={"deployment": "region-b", "reference": "b" * 32})
    assert OutboxMessage.objects.filter(operation="coordinator").count() == 1
    # an archived school does not take the role: the rules look at active participants only
    RemoteParticipant.objects.filter(reference="c" * 32).update(state="archived")
    assert regional.national_coordinator_choice(decider) == ("region-a", "a" * 32)


def test_a_national_coordinator_elsewhere_is_named_on_the_match_page_in_the_api_and_mailed_once(family_here):
    from api.selectors import matches_of_client_signal
    from api.serializers import SignalMatchesSerializer
    from matching.selectors import match_of_signal

    first, second = family_here["signals"]
    match = match_of_signal(first)
    assert match.coordinator_signal == first  # locally, by the rules, before the national decision
    for _twice in range(2):  # the same decision heard twice (an answer and a notice) mails nobody twice
        regional.national_coordinator_learn(
            federated=family_here["federated"][0], coordinator={"deployment": "region-b", "reference": "c" * 32}
        )
    match.refresh_from_db()
    assert match.coordinator_signal is None and match.coordinator_elsewhere == "region-b/" + "c" * 32
    # one national match, one coordinator: our other signal in it took the decision too
    assert set(FederatedSignal.objects.values_list("coordinator_reference", flat=True)) == {"c" * 32}
    mails = _coordinator_mails()
    assert sorted(m.recipient_id for m in mails) == sorted({first.professional_id, second.professional_id})
    assert {m.context["coordinator"]["name"] for m in mails} == {"Fleur Fransen"}
    assert not any(m.context["you_are_coordinator"] for m in mails)

    page = client_for(first.professional, family_here["region"]).get(reverse("matching:match", args=[match.reference]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "fleur@example.nl" in content and "carla@example.nl" in content
    assert "in de verwijsindex van een andere regio (region-b)" in content and "L-000007" in content
    answer = SignalMatchesSerializer(matches_of_client_signal(signal=second)).data["match"]
    assert answer["national_reference"] == "L-000007"
    assert dict(answer["coordinator"]) == {
        "name": "Fleur Fransen",
        "organisation": "Organisatie van Fleur Fransen",
        "email": "fleur@example.nl",
        "phone": "",
        "elsewhere": True,
    }
    assert [(r["name"], r["coordinator"], r["archived"]) for r in answer["remote_participants"]] == [
        ("Carla Claassen", False, False),
        ("Fleur Fransen", True, False),
    ]

    # the decision moves to our second signal: it coordinates here, and both professionals are told once more
    regional.national_coordinator_learn(
        federated=family_here["federated"][1], coordinator={"deployment": "region-a", "reference": "e" * 32}
    )
    match.refresh_from_db()
    assert (match.coordinator_signal, match.coordinator_elsewhere) == (second, "")
    latest = {m.recipient_id: m.context for m in _coordinator_mails()[2:]}
    assert latest[second.professional_id]["you_are_coordinator"] is True
    assert latest[first.professional_id]["coordinator"]["email"] == second.contact_email


def test_other_deployments_participants_follow_the_history_rules_of_archived_signals(family_here):
    import datetime

    from django.utils import timezone

    from matching.selectors import match_of_signal_seen
    from signals.models import EndReason
    from signals.services import signal_end

    first, second = family_here["signals"]
    RemoteParticipant.objects.filter(reference="b" * 32).update(state="archived")
    seen = match_of_signal_seen(first)
    assert {r.name: r.archived for r in seen.remote} == {"Carla Claassen": True, "Fleur Fransen": False}
    # the second professional's signal is archived; a professional of another deployment who joins later is not
    # shown to them (nothing that arose after the archiving), while the active first professional sees them
    signal_end(signal=second, reason=EndReason.CONCERN_GONE)
    RemoteParticipant.objects.create(
        signal_id=first.pk,
        deployment="region-b",
        reference="d" * 32,
        kinds=["parent"],
        contact_name="Daan Dekker",
        organisation="Jeugdteam B",
        contact_email="daan@example.nl",
        placed_on=timezone.localdate(),
        received_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    second.refresh_from_db()
    assert "Daan Dekker" in {r.name for r in match_of_signal_seen(first).remote}
    assert "Daan Dekker" not in {r.name for r in match_of_signal_seen(second).remote}


def test_when_the_national_coordinators_signal_ends_here_the_new_one_is_awaited_from_the_national_decision(
    family_here,
):
    from matching.selectors import match_of_signal
    from signals.models import EndReason
    from signals.services import signal_end

    first, second = family_here["signals"]
    regional.national_coordinator_learn(
        federated=family_here["federated"][0], coordinator={"deployment": "region-a", "reference": "e" * 32}
    )
    match = match_of_signal(first)
    assert match.coordinator_signal == second
    told = _coordinator_mails().count()
    # the coordinator's concern is gone: no local choice and no e-mail yet (the rules of the deciding region choose)
    signal_end(signal=second, reason=EndReason.CONCERN_GONE)
    match.refresh_from_db()
    assert (match.coordinator_signal, match.coordinator_elsewhere) == (None, "")
    assert _coordinator_mails().count() == told
    # the national decision arrives (here: the deciding signal itself): the active professional is told once
    regional.national_coordinator_learn(
        federated=family_here["federated"][0], coordinator={"deployment": "region-a", "reference": "a" * 32}
    )
    match.refresh_from_db()
    assert match.coordinator_signal == first
    new = list(_coordinator_mails()[told:])
    assert [(m.recipient_id, m.context["you_are_coordinator"]) for m in new] == [(first.professional_id, True)]


def test_a_decision_answered_with_another_coordinator_queues_no_next_decision(family_here, monkeypatch):
    """Should the hub keep another coordinator (a rule of its own), the outbox does not decide again and again."""
    from federation.models import OutboxMessage
    from regions.models import CoordinatorRule, Sector

    CoordinatorRule.objects.create(region=family_here["region"], position=1, sector=Sector.EDUCATION)
    calls = []

    def hub(path, data, key):
        calls.append(path)
        if path.endswith("/notices/"):
            return {"notices": []}
        return {
            "reference": "a" * 32,
            "national_match": "L-000007",
            "coordinator": {"deployment": "region-b", "reference": "b" * 32},
            "decider": {"deployment": "region-a", "reference": "a" * 32},
            "partners": [],
        }

    monkeypatch.setattr(regional, "_hub_call", hub)
    regional.national_coordinator_decide(decider={"deployment": "region-a", "reference": "a" * 32})
    counts = regional.outbox_send()
    assert calls.count("/federation/v1/matches/coordinator/") == 1 and counts["sent"] == 1
    assert list(OutboxMessage.objects.values_list("operation", "state")) == [("coordinator", "sent")]
    # what the hub answered is what every page names: Carla, not the school the rules would choose
    assert set(FederatedSignal.objects.values_list("coordinator_reference", flat=True)) == {"b" * 32}


# --- the follow-up of a national match across deployments (federation/followup.py) ------------------------------


def _follow_up(**overrides) -> dict:
    """The follow-up of L-000007 as its coordinator in region-b recorded it, relayed by the hub to us."""
    return {
        "national_match": "L-000007",
        "coordinator": {"deployment": "region-b", "reference": "b" * 32},
        "coordination_agreed_on": None,
        "contacts": [{"deployment": "region-a", "reference": "a" * 32, "contact_made_on": "2026-12-01"}],
        "recorded_at": "2026-12-02T10:00:00+01:00",
        "to_references": ["a" * 32],
        **overrides,
    }


def _owner_client(signal):
    from accounts.models import Membership

    Membership.objects.filter(user=signal.professional).update(organisation=signal.organisation)
    return client_for(signal.professional, signal.organisation.region)


def test_a_follow_up_recorded_in_another_deployment_is_kept_and_shown_on_the_national_match_page(federated_signal, pki):
    from federation.models import NationalFollowUp

    hub = Caller("hub", pki)
    hub.post(reverse("federation:exchange"), _exchange(), sender="hub")
    response = hub.post(reverse("federation:follow_up"), _follow_up(), sender="hub")
    assert (response.status_code, response.json()) == (200, {"stored": True})
    page = _owner_client(federated_signal).get(
        reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk})
    )
    content = page.content.decode()
    assert "zoals die daar is vastgelegd" in content
    # the viewer's own row: contact made on 1 December, as the coordinator recorded it elsewhere
    assert "1 december 2026" in content
    # an older record relayed late changes nothing; a newer one replaces it
    older = _follow_up(recorded_at="2026-12-01T09:00:00+01:00", coordination_agreed_on="2026-12-01")
    assert hub.post(reverse("federation:follow_up"), older, sender="hub").json() == {"stored": False}
    assert NationalFollowUp.objects.get().coordination_agreed_on is None
    newer = _follow_up(recorded_at="2026-12-03T09:00:00+01:00", coordination_agreed_on="2026-12-02")
    assert hub.post(reverse("federation:follow_up"), newer, sender="hub").json() == {"stored": True}
    assert str(NationalFollowUp.objects.get().coordination_agreed_on) == "2026-12-02"


def test_a_follow_up_for_signals_that_are_gone_is_refused(federated_signal, pki):
    from federation.models import NationalFollowUp

    answer = Caller("hub", pki).post(
        reverse("federation:follow_up"), _follow_up(to_references=["c" * 32]), sender="hub"
    )
    assert answer.status_code == 410
    assert not NationalFollowUp.objects.exists()


@pytest.mark.parametrize("who", ["region-a", "region-b", "stranger", "operator"])
def test_only_the_hub_may_relay_a_follow_up(federated_signal, pki, who):
    from federation.models import NationalFollowUp

    response = Caller(who, pki).post(reverse("federation:follow_up"), _follow_up())
    assert response.status_code == 403
    assert Caller("hub", pki).post(reverse("federation:follow_up"), _follow_up(), sign=False).status_code == 403
    assert not NationalFollowUp.objects.exists()


def test_users_of_every_role_are_refused_the_follow_up_endpoint(federated_signal, professional_user, region, manager):
    from federation.models import NationalFollowUp

    path = reverse("federation:follow_up")
    for client in (Client(), client_for(professional_user, region), client_for(manager, region)):
        assert client.post(path, _follow_up(), content_type="application/json").status_code == 403
        assert client.get(path).status_code in (403, 405)
    assert not NationalFollowUp.objects.exists()


def _as_coordinator(signal, pki):
    """We coordinate L-000007 (the hub's decision); Carla of region-b is matched with our signal."""
    Caller("hub", pki).post(
        reverse("federation:exchange"),
        _exchange(coordinator={"deployment": "region-a", "reference": "a" * 32}),
        sender="hub",
    )


def test_the_national_coordinator_records_contact_with_a_professional_in_another_deployment(federated_signal, pki):
    import datetime

    from django.utils import timezone

    from federation.models import NationalFollowUp, OutboxMessage

    _as_coordinator(federated_signal, pki)
    client = _owner_client(federated_signal)
    path = reverse("federation:national_follow_up", kwargs={"signal_id": federated_signal.pk})
    form = client.get(path)
    assert form.status_code == 200 and "Contact met Carla Claassen (Jeugdteam B)" in form.content.decode()
    today = timezone.localdate()
    # the same date rules as inside one deployment: not in the future, not before the match arose
    for wrong in (today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)):
        refused = client.post(path, {"contact_0": wrong.strftime("%d-%m-%Y"), "coordination_agreed_on": ""})
        assert refused.status_code == 200
        assert not NationalFollowUp.objects.exists()
    # agreed before contact with everyone is recorded: refused
    client.post(path, {"contact_0": "", "coordination_agreed_on": today.strftime("%d-%m-%Y")})
    assert not NationalFollowUp.objects.exists()
    done = client.post(path, {"contact_0": today.strftime("%d-%m-%Y"), "coordination_agreed_on": ""})
    assert done.status_code == 302
    record = NationalFollowUp.objects.get()
    assert record.contact_of("region-b", "b" * 32) == today
    assert (record.coordinator_deployment, record.coordinator_reference) == ("region-a", "a" * 32)
    # queued for the hub, with references and dates only
    message = OutboxMessage.objects.get(operation="follow_up")
    assert message.body["contacts"] == [
        {"deployment": "region-b", "reference": "b" * 32, "contact_made_on": today.isoformat()}
    ]
    assert "Carla" not in str(message.body)
    page = client.get(reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk}))
    assert "Opvolging vastleggen" in page.content.decode()


def test_only_the_national_coordinator_may_open_the_national_follow_up_page(federated_signal, pki, region):
    hub = Caller("hub", pki)
    hub.post(reverse("federation:exchange"), _exchange(), sender="hub")  # region-b coordinates
    path = reverse("federation:national_follow_up", kwargs={"signal_id": federated_signal.pk})
    owner = _owner_client(federated_signal)
    assert owner.get(path).status_code == 404
    assert owner.post(path, {"contact_0": "", "coordination_agreed_on": ""}).status_code == 404
    page = owner.get(reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk}))
    assert "Opvolging vastleggen" not in page.content.decode()
    # once we coordinate, another professional still may not (the signal is not theirs)
    _as_coordinator(federated_signal, pki)
    other = professional(federated_signal.organisation)
    assert client_for(other, federated_signal.organisation.region).get(path).status_code == 404
    assert owner.get(path).status_code == 200


# --- the monitor: a linked match is followed up in one deployment only ---------------------------------------


def _local_match(region):
    """Two professionals of the region on one youth: a local match of the region, its coordinator the first."""
    import datetime

    import time_machine
    from django.utils import timezone

    from matching.models import MatchParticipation
    from matching.services import match_detect
    from signals.models import Signal
    from tests.persons.factories import YouthFactory
    from tests.regions.factories import MunicipalityFactory, OrganisationFactory

    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    youth = YouthFactory(municipality_code="0344")
    signals = []
    for index, sector in enumerate(("youth_health_care", "education")):
        organisation = OrganisationFactory(region=region, code=f"org{index}", sector=sector)
        user = professional(organisation, user__full_name=f"Prof {index}")
        with time_machine.travel(MONITOR_START + datetime.timedelta(hours=index), tick=False):
            signal = Signal.objects.create(
                youth=youth,
                professional=user,
                organisation=organisation,
                contact_name=user.full_name,
                contact_email=user.email,
                placed_at=timezone.now(),
                ends_on=(timezone.now() + datetime.timedelta(days=730)).date(),
                informing_status="informed",
            )
            match_detect(signal_id=signal.pk)
        signals.append(signal)
    match = MatchParticipation.objects.get(signal=signals[0]).match
    assert match.coordinator_signal_id == signals[0].pk and match.region_id == region.pk
    # the local contact is recorded: locally nothing is overdue
    MatchParticipation.objects.filter(signal=signals[1]).update(contact_made_on=MONITOR_START.date())
    return match, signals


def _linked(signal, *, coordinator: tuple[str, str]):
    """Our signal in national match L-000007 with Carla of region-b, known here since the match arose."""
    from federation.models import FederatedSignal, RemoteParticipant

    FederatedSignal.objects.create(
        signal_id=signal.pk,
        reference="a" * 32,
        national_match="L-000007",
        coordinator_deployment=coordinator[0],
        coordinator_reference=coordinator[1],
    )
    RemoteParticipant.objects.create(
        signal_id=signal.pk,
        deployment="region-b",
        reference="b" * 32,
        contact_name="Carla Claassen",
        organisation="Jeugdteam B",
        contact_email="carla@example.nl",
        placed_on=MONITOR_START.date(),
        received_at=MONITOR_START,
    )


def _monitor_page(region, days_later: int) -> str:
    import datetime

    import time_machine

    from tests.accounts.factories import followup_monitor

    with time_machine.travel(MONITOR_START + datetime.timedelta(days=days_later)):
        return client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()


def test_the_monitor_of_the_coordinator_s_deployment_sees_contact_missing_with_a_professional_elsewhere(
    regional_settings, region
):
    from federation.models import NationalFollowUp

    match, signals = _local_match(region)
    _linked(signals[0], coordinator=("region-a", "a" * 32))
    assert match.reference not in _monitor_page(region, days_later=region.followup_days - 1)
    page = _monitor_page(region, days_later=region.followup_days + 1)
    assert match.reference in page and "carla@example.nl" in page
    # recorded by the national coordinator: no longer listed
    NationalFollowUp.objects.create(
        national_match="L-000007",
        coordinator_deployment="region-a",
        coordinator_reference="a" * 32,
        contacts=[{"deployment": "region-b", "reference": "b" * 32, "contact_made_on": "2026-03-03"}],
        recorded_at=MONITOR_START,
    )
    assert match.reference not in _monitor_page(region, days_later=region.followup_days + 1)


def test_a_match_coordinated_in_another_deployment_is_not_listed_by_this_deployment_s_monitor(
    regional_settings, region
):
    from matching.models import MatchParticipation

    match, signals = _local_match(region)
    MatchParticipation.objects.filter(signal=signals[1]).update(contact_made_on=None)  # locally overdue too
    assert match.reference in _monitor_page(region, days_later=region.followup_days + 1)
    _linked(signals[0], coordinator=("region-b", "b" * 32))
    # the national coordinator's deployment lists it (with our professionals as its remote participants)
    assert match.reference not in _monitor_page(region, days_later=region.followup_days + 1)


# --- hand-over of the coordinator role across deployments (federation/handover.py) ----------------------------


def test_a_hand_over_proposed_elsewhere_is_mailed_and_answered_on_the_accept_page(federated_signal, pki):
    from federation.models import NationalHandover, OutboxMessage

    Caller("hub", pki).post(reverse("federation:exchange"), _exchange(), sender="hub")  # Carla (B) coordinates
    regional.notice_apply(
        {
            "id": 41,
            "reference": "a" * 32,
            "event": "handover_proposed",
            "from_deployment": "region-b",
            "from_reference": "b" * 32,
        }
    )
    mail = Notification.objects.get(recipient=federated_signal.professional, kind="match_handover_proposed")
    page_path = reverse("federation:national_handover", kwargs={"signal_id": federated_signal.pk})
    assert mail.context["url"].endswith(page_path)
    assert mail.context["coordinator"]["name"] == "Carla Claassen"
    assert mail.context["match_reference"] == "L-000007"
    client = _owner_client(federated_signal)
    page = client.get(page_path)
    assert page.status_code == 200 and "Carla Claassen (Jeugdteam B)" in page.content.decode()
    national = client.get(reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk}))
    assert "Accepteren of weigeren" in national.content.decode()
    # somebody else may not answer
    other = professional(federated_signal.organisation)
    refused = client_for(other, federated_signal.organisation.region).post(page_path, {"decision": "accept"})
    assert refused.status_code == 404
    assert NationalHandover.objects.filter(direction="in").exists()
    assert client.post(page_path, {"decision": "accept"}).status_code == 302
    message = OutboxMessage.objects.get(operation="handover_answer")
    assert message.body == {"accept": True}
    # answered: the page is gone, the proposal too
    assert not NationalHandover.objects.exists()
    assert client.get(page_path).status_code == 404


def test_the_national_coordinator_proposes_a_professional_of_another_deployment(federated_signal, pki):
    from federation.models import NationalHandover, OutboxMessage

    _as_coordinator(federated_signal, pki)
    client = _owner_client(federated_signal)
    national_path = reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk})
    assert "Overdracht voorstellen" in client.get(national_path).content.decode()
    path = reverse("federation:national_handover_propose", kwargs={"signal_id": federated_signal.pk})
    assert client.post(path, {"to": "region-b|" + "c" * 32}).status_code == 302  # not a participant: refused
    assert not NationalHandover.objects.exists()
    assert client.post(path, {"to": "region-b|" + "b" * 32}).status_code == 302
    proposal = NationalHandover.objects.get()
    assert (proposal.direction, proposal.other_deployment, proposal.other_reference) == ("out", "region-b", "b" * 32)
    assert OutboxMessage.objects.get(operation="handover_propose").body == {
        "to_deployment": "region-b",
        "to_reference": "b" * 32,
    }
    national = client.get(national_path).content.decode()
    assert "U heeft voorgesteld de matchregie over te dragen aan Carla Claassen" in national
    # the outbox has not reached the hub yet, and the page says so
    assert "Het voorstel is nog niet bij de landelijke hub aangekomen" in national
    OutboxMessage.objects.filter(operation="handover_propose").update(state="sent")
    assert "nog niet bij de landelijke hub" not in client.get(national_path).content.decode()
    # declined in B: the proposer is mailed (matching's "declined" e-mail) and the proposal is gone
    regional.notice_apply(
        {
            "id": 42,
            "reference": "a" * 32,
            "event": "handover_declined",
            "from_deployment": "region-b",
            "from_reference": "b" * 32,
        }
    )
    declined = Notification.objects.get(recipient=federated_signal.professional, kind="match_handover_declined")
    assert declined.context["declined_by"]["name"] == "Carla Claassen"
    assert not NationalHandover.objects.exists()


def test_only_the_national_coordinator_may_propose_a_hand_over(federated_signal, pki):
    from federation.models import NationalHandover

    Caller("hub", pki).post(reverse("federation:exchange"), _exchange(), sender="hub")  # Carla (B) coordinates
    path = reverse("federation:national_handover_propose", kwargs={"signal_id": federated_signal.pk})
    assert _owner_client(federated_signal).post(path, {"to": "region-b|" + "b" * 32}).status_code == 404
    _as_coordinator(federated_signal, pki)
    other = professional(federated_signal.organisation)
    response = client_for(other, federated_signal.organisation.region).post(path, {"to": "region-b|" + "b" * 32})
    assert response.status_code == 404
    assert not NationalHandover.objects.exists()


def test_contact_recorded_on_the_local_match_of_the_national_coordinator_travels_with_the_national_record(
    regional_settings, region
):
    import time_machine

    from federation.models import NationalFollowUp, OutboxMessage
    from matching.services import match_follow_up_record

    match, signals = _local_match(region)
    _linked(signals[0], coordinator=("region-a", "a" * 32))
    from federation.models import FederatedSignal

    FederatedSignal.objects.create(signal_id=signals[1].pk, reference="e" * 32, national_match="L-000007")
    with time_machine.travel(MONITOR_START + datetime.timedelta(days=3)):
        match_follow_up_record(
            match=match,
            actor=signals[0].professional,
            contacts={signals[1].pk: MONITOR_START.date() + datetime.timedelta(days=1)},
            coordination_agreed_on=None,
        )
    record = NationalFollowUp.objects.get(national_match="L-000007")
    assert record.contact_of("region-a", "e" * 32) == MONITOR_START.date() + datetime.timedelta(days=1)
    assert record.contact_of("region-b", "b" * 32) is None  # not yet recorded for Carla
    message = OutboxMessage.objects.get(operation="follow_up")
    assert message.signal_id == signals[0].pk
    assert {c["reference"] for c in message.body["contacts"]} == {"e" * 32, "b" * 32}


def test_a_national_match_coordinated_by_a_signal_in_no_local_match_is_listed_by_its_region_s_monitor(
    federated_signal,
):
    """One signal here, its partners only in other deployments: no local match, yet the monitor lists it."""
    from federation.models import FederatedSignal, NationalFollowUp, RemoteParticipant

    region = federated_signal.organisation.region
    FederatedSignal.objects.filter(signal_id=federated_signal.pk).update(
        national_match="L-000007", coordinator_deployment="region-a", coordinator_reference="a" * 32
    )
    RemoteParticipant.objects.create(
        signal_id=federated_signal.pk,
        deployment="region-b",
        reference="b" * 32,
        contact_name="Carla Claassen",
        organisation="Jeugdteam B",
        contact_email="carla@example.nl",
        placed_on=MONITOR_START.date(),
        received_at=MONITOR_START,
    )
    assert "L-000007" not in _monitor_page(region, days_later=region.followup_days - 1)
    page = _monitor_page(region, days_later=region.followup_days + 1)
    assert "L-000007" in page and "carla@example.nl" in page and federated_signal.contact_email in page
    NationalFollowUp.objects.create(
        national_match="L-000007",
        coordinator_deployment="region-a",
        coordinator_reference="a" * 32,
        contacts=[{"deployment": "region-b", "reference": "b" * 32, "contact_made_on": "2026-03-03"}],
        recorded_at=MONITOR_START,
    )
    assert "L-000007" not in _monitor_page(region, days_later=region.followup_days + 1)
    # coordinated in another deployment: never listed here
    NationalFollowUp.objects.all().delete()
    FederatedSignal.objects.filter(signal_id=federated_signal.pk).update(
        coordinator_deployment="region-b", coordinator_reference="b" * 32
    )
    assert "L-000007" not in _monitor_page(region, days_later=region.followup_days + 1)


# --- the ordinary hand-over of a local match decided nationally, and the coordinator's reminder (fedgaps) -------


def _national_local_match(region):
    """A local match of two professionals here, part of national match L-000007 with Carla of region-b; its
    coordinator is decided nationally (our first signal, a*32) and both our signals are registered at the hub."""
    from django.utils import timezone

    from federation.models import FederatedSignal
    from matching.coordination import matches_coordinator_national_refresh
    from matching.models import Match

    match, signals = _local_match(region)
    _linked(signals[0], coordinator=("region-a", "a" * 32))
    FederatedSignal.objects.filter(signal_id=signals[0].pk).update(registered_at=timezone.now())
    FederatedSignal.objects.create(
        signal_id=signals[1].pk,
        reference="e" * 32,
        national_match="L-000007",
        coordinator_deployment="region-a",
        coordinator_reference="a" * 32,
        registered_at=timezone.now(),
    )
    matches_coordinator_national_refresh(match_ids=[match.pk])
    match = Match.objects.get(pk=match.pk)
    assert match.coordinator_signal_id == signals[0].pk and match.coordinator_elsewhere == ""
    return match, signals


def _coordinator_notices(new: str, *, first_id: int) -> None:
    """The hub's `coordinator` notices for both our signals after it recorded a hand-over to `new`."""
    for offset, reference in enumerate(("a" * 32, "e" * 32)):
        regional.notice_apply(
            {
                "id": first_id + offset,
                "reference": reference,
                "event": "coordinator",
                "coordinator": {"deployment": "region-a", "reference": new},
                "national_match": "L-000007",
            }
        )


def test_a_hand_over_on_the_local_page_of_a_match_decided_nationally_goes_through_the_hub_and_holds(
    regional_settings, region
):
    from django.contrib.messages import get_messages

    from federation.models import NationalHandover, OutboxMessage
    from matching.coordination import matches_coordinator_national_refresh
    from matching.models import Match

    match, signals = _national_local_match(region)
    coordinator, colleague = _owner_client(signals[0]), _owner_client(signals[1])
    response = coordinator.post(
        reverse("matching:handover_propose", kwargs={"reference": match.reference}), {"signal": signals[1].pk}
    )
    assert response.status_code == 302
    assert "via de landelijke verwijsindex" in str(list(get_messages(response.wsgi_request))[0])
    # queued for the hub, kept as our pending proposal, shown on the local page; the role has not moved
    assert OutboxMessage.objects.get(operation="handover_propose").body == {
        "to_deployment": "region-a",
        "to_reference": "e" * 32,
    }
    assert NationalHandover.objects.get(direction="out").other_reference == "e" * 32
    match.refresh_from_db()
    assert (match.coordinator_signal_id, match.proposed_signal_id) == (signals[0].pk, signals[1].pk)
    # accepted before the hub's notice came back: refused with a message, the proposal stays
    handover_path = reverse("matching:handover", kwargs={"reference": match.reference})
    early = colleague.post(handover_path, {"decision": "accept"})
    assert "nog onderweg" in str(list(get_messages(early.wsgi_request))[0])
    assert not OutboxMessage.objects.filter(operation="handover_answer").exists()
    # the hub's notice: the colleague is e-mailed matching's hand-over e-mail naming the coordinator here
    regional.notice_apply(
        {
            "id": 61,
            "reference": "e" * 32,
            "event": "handover_proposed",
            "from_deployment": "region-a",
            "from_reference": "a" * 32,
        }
    )
    mail = Notification.objects.get(recipient=signals[1].professional, kind="match_handover_proposed")
    assert mail.context["coordinator"]["name"] == signals[0].contact_name
    # accepted on the local match's page: the answer goes to the hub, the page's proposal is answered
    accepted = colleague.post(handover_path, {"decision": "accept"})
    assert accepted.status_code == 302
    assert "landelijke match L-000007" in str(list(get_messages(accepted.wsgi_request))[-1])
    assert OutboxMessage.objects.get(operation="handover_answer").body == {"accept": True}
    assert not NationalHandover.objects.filter(direction="in").exists()
    assert Match.objects.get(pk=match.pk).proposed_signal_id is None
    # the hub names the new coordinator: the local match takes it, and the next national refresh keeps it
    _coordinator_notices("e" * 32, first_id=62)
    assert Match.objects.get(pk=match.pk).coordinator_signal_id == signals[1].pk
    matches_coordinator_national_refresh(match_ids=[match.pk])
    assert Match.objects.get(pk=match.pk).coordinator_signal_id == signals[1].pk
    # the proposer hears the acceptance (its pending proposal goes)
    regional.notice_apply(
        {
            "id": 64,
            "reference": "a" * 32,
            "event": "handover_accepted",
            "from_deployment": "region-a",
            "from_reference": "e" * 32,
        }
    )
    assert not NationalHandover.objects.exists()


def test_a_local_proposal_from_before_the_match_became_national_lapses_with_a_message(regional_settings, region):
    from django.contrib.messages import get_messages

    from federation.models import OutboxMessage
    from matching.models import Match
    from matching.services import match_handover_propose

    match, signals = _local_match(region)
    match_handover_propose(match=match, actor=signals[0].professional, to_signal_id=signals[1].pk)
    # then the match became part of a national match, its coordinator decided there
    match, signals = _national_local_match_of(match, signals)
    assert Match.objects.get(pk=match.pk).proposed_signal_id == signals[1].pk
    response = _owner_client(signals[1]).post(
        reverse("matching:handover", kwargs={"reference": match.reference}), {"decision": "accept"}
    )
    assert "het voorstel is vervallen" in str(list(get_messages(response.wsgi_request))[0])
    match = Match.objects.get(pk=match.pk)
    # not silently undone later: it never took effect, and the proposal is gone with a message
    assert (match.coordinator_signal_id, match.proposed_signal_id) == (signals[0].pk, None)
    assert not OutboxMessage.objects.filter(operation__startswith="handover").exists()


def _national_local_match_of(match, signals):
    from django.utils import timezone

    from federation.models import FederatedSignal
    from matching.coordination import matches_coordinator_national_refresh

    _linked(signals[0], coordinator=("region-a", "a" * 32))
    FederatedSignal.objects.filter(signal_id=signals[0].pk).update(registered_at=timezone.now())
    FederatedSignal.objects.create(
        signal_id=signals[1].pk,
        reference="e" * 32,
        national_match="L-000007",
        coordinator_deployment="region-a",
        coordinator_reference="a" * 32,
        registered_at=timezone.now(),
    )
    matches_coordinator_national_refresh(match_ids=[match.pk])
    return match, signals


def test_a_colleague_not_yet_registered_at_the_hub_cannot_be_proposed_in_a_match_decided_nationally(
    regional_settings, region
):
    from django.contrib.messages import get_messages

    from federation.models import FederatedSignal, OutboxMessage
    from matching.models import Match

    match, signals = _national_local_match(region)
    FederatedSignal.objects.filter(signal_id=signals[1].pk).update(registered_at=None, national_match="")
    response = _owner_client(signals[0]).post(
        reverse("matching:handover_propose", kwargs={"reference": match.reference}), {"signal": signals[1].pk}
    )
    assert "nog niet aangemeld bij de landelijke match L-000007" in str(list(get_messages(response.wsgi_request))[0])
    assert Match.objects.get(pk=match.pk).proposed_signal_id is None
    assert not OutboxMessage.objects.filter(operation="handover_propose").exists()
    assert not Notification.objects.filter(kind="match_handover_proposed").exists()


def test_the_coordinator_s_start_page_names_contact_missing_with_professionals_elsewhere(regional_settings, region):
    import time_machine

    from federation.models import NationalFollowUp

    match, signals = _national_local_match(region)
    coordinator = signals[0]
    follow_up = reverse("federation:national_follow_up", kwargs={"signal_id": coordinator.pk})

    def start_page(days_later: int) -> str:
        with time_machine.travel(MONITOR_START + datetime.timedelta(days=days_later)):
            return _owner_client(coordinator).get(reverse("home")).content.decode()

    # Carla's details arrived at MONITOR_START: within the region's days nothing is due
    assert "L-000007" not in start_page(region.followup_days - 1)
    page = start_page(region.followup_days + 1)
    assert "Landelijke match L-000007: contact met 1 betrokkene in een andere regio nog niet vastgelegd" in page
    assert follow_up in page
    # the colleague here, who does not coordinate, is not reminded
    with time_machine.travel(MONITOR_START + datetime.timedelta(days=region.followup_days + 1)):
        assert "L-000007" not in _owner_client(signals[1]).get(reverse("home")).content.decode()
    # recorded on the national follow-up: no longer due
    NationalFollowUp.objects.create(
        national_match="L-000007",
        coordinator_deployment="region-a",
        coordinator_reference="a" * 32,
        contacts=[{"deployment": "region-b", "reference": "b" * 32, "contact_made_on": "2026-03-03"}],
        recorded_at=MONITOR_START,
    )
    assert "L-000007" not in start_page(region.followup_days + 1)


def test_the_national_match_page_offers_a_colleague_here_too_and_the_hand_over_goes_through_the_hub(
    regional_settings, region
):
    from federation.models import NationalHandover, OutboxMessage

    match, signals = _national_local_match(region)
    client = _owner_client(signals[0])
    page = client.get(reverse("federation:national_match", kwargs={"signal_id": signals[0].pk})).content.decode()
    assert f"region-a|{'e' * 32}" in page and f"region-b|{'b' * 32}" in page
    assert f"region-a|{'a' * 32}" not in page  # not the coordinator themself
    path = reverse("federation:national_handover_propose", kwargs={"signal_id": signals[0].pk})
    assert client.post(path, {"to": "region-a|" + "e" * 32}).status_code == 302
    assert OutboxMessage.objects.get(operation="handover_propose").body == {
        "to_deployment": "region-a",
        "to_reference": "e" * 32,
    }
    assert NationalHandover.objects.get(direction="out").other_reference == "e" * 32
    page = client.get(reverse("federation:national_match", kwargs={"signal_id": signals[0].pk})).content.decode()
    assert f"U heeft voorgesteld de matchregie over te dragen aan {signals[1].contact_name}" in page


def test_a_hand_over_declined_on_the_local_page_goes_through_the_hub_and_the_proposer_is_mailed(
    regional_settings, region
):
    from federation.models import NationalHandover, OutboxMessage
    from matching.models import Match
    from matching.services import match_handover_decline, match_handover_propose

    match, signals = _national_local_match(region)
    match_handover_propose(match=match, actor=signals[0].professional, to_signal_id=signals[1].pk)
    assert not Notification.objects.filter(kind="match_handover_proposed").exists()  # the hub's notice mails it
    regional.notice_apply(
        {
            "id": 71,
            "reference": "e" * 32,
            "event": "handover_proposed",
            "from_deployment": "region-a",
            "from_reference": "a" * 32,
        }
    )
    match_handover_decline(match=match, actor=signals[1].professional)
    assert OutboxMessage.objects.get(operation="handover_answer").body == {"accept": False}
    assert Match.objects.get(pk=match.pk).proposed_signal_id is None
    regional.notice_apply(
        {
            "id": 72,
            "reference": "a" * 32,
            "event": "handover_declined",
            "from_deployment": "region-a",
            "from_reference": "e" * 32,
        }
    )
    declined = Notification.objects.get(recipient=signals[0].professional, kind="match_handover_declined")
    assert declined.context["declined_by"]["name"] == signals[1].contact_name
    assert not NationalHandover.objects.exists()
    assert Match.objects.get(pk=match.pk).coordinator_signal_id == signals[0].pk


def test_the_start_page_reminds_a_national_coordinator_whose_signal_is_in_no_local_match(federated_signal):
    import time_machine

    from federation.models import FederatedSignal, RemoteParticipant

    region = federated_signal.organisation.region
    FederatedSignal.objects.filter(signal_id=federated_signal.pk).update(
        national_match="L-000007", coordinator_deployment="region-a", coordinator_reference="a" * 32
    )
    RemoteParticipant.objects.create(
        signal_id=federated_signal.pk,
        deployment="region-b",
        reference="b" * 32,
        contact_name="Carla Claassen",
        organisation="Jeugdteam B",
        contact_email="carla@example.nl",
        placed_on=MONITOR_START.date(),
        received_at=MONITOR_START,
    )

    def start_page(days_later: int) -> str:
        with time_machine.travel(MONITOR_START + datetime.timedelta(days=days_later)):
            return _owner_client(federated_signal).get(reverse("home")).content.decode()

    assert "L-000007" not in start_page(region.followup_days - 1)
    assert "Landelijke match L-000007: contact met 1 betrokkene in een andere regio" in start_page(
        region.followup_days + 1
    )
    # coordinated in another deployment: no reminder here
    FederatedSignal.objects.filter(signal_id=federated_signal.pk).update(
        coordinator_deployment="region-b", coordinator_reference="b" * 32
    )
    assert "L-000007" not in start_page(region.followup_days + 1)


def test_a_hand_over_proposed_elsewhere_waits_on_the_professional_s_start_page_until_answered(federated_signal, pki):
    Caller("hub", pki).post(reverse("federation:exchange"), _exchange(), sender="hub")  # Carla (B) coordinates
    client = _owner_client(federated_signal)
    page_path = reverse("federation:national_handover", kwargs={"signal_id": federated_signal.pk})
    assert page_path not in client.get("/").content.decode()
    regional.notice_apply(
        {
            "id": 43,
            "reference": "a" * 32,
            "event": "handover_proposed",
            "from_deployment": "region-b",
            "from_reference": "b" * 32,
        }
    )
    start = client.get("/").content.decode()
    assert page_path in start and "Matchregie aan u voorgesteld" in start
    # a colleague of the same organisation has no such task
    other = professional(federated_signal.organisation)
    assert page_path not in client_for(other, federated_signal.organisation.region).get("/").content.decode()
    client.post(page_path, {"decision": "decline"})
    assert page_path not in client.get("/").content.decode()


def test_a_signal_matched_only_in_another_deployment_counts_its_match_and_leads_to_the_national_match(
    federated_signal, pki
):
    client = _owner_client(federated_signal)
    matches_path = reverse("matching:signal_matches", args=[federated_signal.pk])
    # no partner anywhere yet: no match
    assert client.get(matches_path).status_code == 200
    Caller("hub", pki).post(reverse("federation:exchange"), _exchange(), sender="hub")
    detail = client.get(reverse("signals:detail", args=[federated_signal.pk])).content.decode()
    assert "1 match bekijken" in detail
    answer = client.get(matches_path)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("federation:national_match", kwargs={"signal_id": federated_signal.pk})
    # archived: a partner elsewhere who joined afterwards is not counted (nothing that arose after the archiving)
    import datetime

    from django.utils import timezone

    from federation.selectors import match_counts_with_other_deployments
    from signals.models import EndReason
    from signals.services import signal_end

    signal_end(signal=federated_signal, reason=EndReason.CONCERN_GONE)
    RemoteParticipant.objects.create(
        signal_id=federated_signal.pk,
        deployment="region-b",
        reference="f" * 32,
        contact_name="Fenna Fokkema",
        organisation="Jeugdteam B",
        contact_email="fenna@example.nl",
        placed_on=timezone.localdate(),
        received_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert match_counts_with_other_deployments([federated_signal.pk]) == {federated_signal.pk: 1}

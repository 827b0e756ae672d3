"""A regional deployment's federation endpoint: only the hub's certificate, signed, may call it; every role of the
permission matrix (logged in or not) is refused; a relayed exchange records the partner and mails once."""

import pytest
from django.test import Client
from django.urls import reverse

from federation import regional
from federation.models import FederatedSignal, RemoteParticipant
from notifications.models import Notification
from tests.conftest import client_for
from tests.federation.conftest import Caller
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


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

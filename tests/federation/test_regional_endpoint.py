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

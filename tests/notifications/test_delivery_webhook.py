import base64
import json

import pytest
from django.test import Client

from accounts.models import Role
from notifications.models import Notification, NotificationKind
from tests.accounts.factories import MembershipFactory, organisation_coordinator, professional
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

SECRET = "anymail-hook:s3cret-webhook-password"
URL = "/anymail/postmark/tracking/"


def _post(event: dict, *, secret: str = SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return Client(HTTP_HOST="verwijsindex.localhost").post(
        URL, data=json.dumps(event), content_type="application/json", HTTP_AUTHORIZATION=f"Basic {auth}"
    )


def _bounce(email: str, *, notification_id: int | None = None, message_id: str = "pm-1") -> dict:
    return {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 4323372036854775807,
        "MessageID": message_id,
        "Email": email,
        "BouncedAt": "2026-03-02T10:15:00Z",
        "Description": "The server was unable to deliver your message",
        "Metadata": {"notification_id": str(notification_id)} if notification_id else {},
    }


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def test_bounce_marks_the_address_failing_and_tells_the_organisations_coordinators(organisation):
    user = professional(organisation, user__email="piet@example.nl", user__full_name="Piet Bakker")
    coordinator = organisation_coordinator(organisation)
    notification = NotificationFactory(recipient=user, provider_message_id="pm-1")

    response = _post(_bounce("piet@example.nl", notification_id=notification.pk))

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_failing_since.isoformat() == "2026-03-02T10:15:00+00:00"
    told = Notification.objects.get(kind=NotificationKind.EMAIL_FAILING)
    assert told.recipient == coordinator
    assert told.context["professional_name"] == "Piet Bakker"


def test_a_repeated_bounce_tells_the_coordinators_once(organisation):
    professional(organisation, user__email="piet@example.nl")
    organisation_coordinator(organisation)
    _post(_bounce("piet@example.nl"))
    _post(_bounce("piet@example.nl", message_id="pm-2"))
    assert Notification.objects.filter(kind=NotificationKind.EMAIL_FAILING).count() == 1


def test_coordinators_of_other_organisations_are_not_told(organisation):
    professional(organisation, user__email="piet@example.nl")
    organisation_coordinator()  # another organisation
    _post(_bounce("piet@example.nl"))
    assert not Notification.objects.filter(kind=NotificationKind.EMAIL_FAILING).exists()


def test_webhook_with_a_wrong_secret_is_refused_and_changes_nothing(organisation):
    user = professional(organisation, user__email="piet@example.nl")
    response = _post(_bounce("piet@example.nl"), secret="anymail-hook:guessed")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_failing_since is None


def test_webhook_without_credentials_is_refused(organisation):
    user = professional(organisation, user__email="piet@example.nl")
    response = Client().post(URL, data=json.dumps(_bounce("piet@example.nl")), content_type="application/json")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_failing_since is None


def test_a_later_delivery_clears_the_failing_mark(organisation):
    user = professional(organisation, user__email="piet@example.nl")
    _post(_bounce("piet@example.nl"))
    delivered = {
        "RecordType": "Delivery",
        "MessageID": "pm-3",
        "Recipient": "piet@example.nl",
        "DeliveredAt": "2026-03-03T09:00:00Z",
        "Metadata": {},
    }
    assert _post(delivered).status_code == 200
    user.refresh_from_db()
    assert user.email_failing_since is None


def test_a_bounce_for_an_unknown_address_is_accepted_and_ignored():
    assert _post(_bounce("nobody@example.nl")).status_code == 200
    assert not Notification.objects.exists()


def test_membership_role_used_for_coordinators_is_the_organisation_coordinator(organisation):
    # a process manager of the region is not the organisation's coordinator
    professional(organisation, user__email="piet@example.nl")
    MembershipFactory(role=Role.PROCESS_MANAGER, organisation=None, region=organisation.region)
    _post(_bounce("piet@example.nl"))
    assert not Notification.objects.filter(kind=NotificationKind.EMAIL_FAILING).exists()

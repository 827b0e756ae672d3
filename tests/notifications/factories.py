import factory

from notifications.models import Notification
from tests.accounts.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test_message"
    subject = "Verwijsindex: testbericht"
    template = "notifications/email/email_failing"
    context = factory.LazyFunction(
        lambda: {"professional_name": "Piet", "professional_email": "piet@example.nl", "organisation_name": "Org"}
    )
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")

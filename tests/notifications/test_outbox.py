import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import NotificationPreference
from notifications.models import Notification, NotificationKind
from notifications.services import (
    MAX_ATTEMPTS,
    notification_digests_build,
    notification_enqueue,
    notification_send,
    notifications_send_pending,
)
from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"professional_name": "Piet Bakker", "professional_email": "piet@example.nl", "organisation_name": "Org A"}


def _enqueue(recipient, *, key="k1", kind=NotificationKind.EMAIL_FAILING, **extra):
    return notification_enqueue(
        recipient=recipient,
        kind=kind,
        subject="Verwijsindex: test",
        template="notifications/email/email_failing",
        context={**CONTEXT, **extra},
        dedupe_key=key,
    )


def test_enqueue_writes_the_row_in_the_callers_transaction():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(user)
        assert Notification.objects.count() == 1
        raise RuntimeError("the change is rolled back")
    assert Notification.objects.count() == 0


def test_enqueue_twice_with_the_same_dedupe_key_creates_nothing_new(django_capture_on_commit_callbacks):
    user = UserFactory()
    first = _enqueue(user)
    with django_capture_on_commit_callbacks() as callbacks:
        again = _enqueue(user)
    assert again.pk == first.pk
    assert Notification.objects.count() == 1
    assert callbacks == []


def test_row_is_sent_once_after_commit_with_dutch_text_and_html(celery_eager, django_capture_on_commit_callbacks):
    user = UserFactory(email="coordinator@example.nl", full_name="Carla Coördinator")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue(user)
        assert mail.outbox == []  # nothing goes out before the commit

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@example.nl"]
    assert message.subject == "Verwijsindex: test"
    assert "Beste Carla Coördinator" in message.body
    assert "komt niet aan" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="nl">' in html and "Piet Bakker" in html
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1


def test_sending_a_sent_row_again_sends_nothing():
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.pk) is True
    assert notification_send(notification_id=notification.pk) is False
    assert notifications_send_pending() == 0
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend", ANYMAIL={"TEST_API_KEY": "x"})
def test_provider_message_id_is_recorded():
    notification = NotificationFactory()
    notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    # anymail's test back-end numbers messages by their place in the outbox, as a provider returns its id
    assert notification.provider_message_id == "0"
    assert mail.outbox[0].anymail_test_params["metadata"] == {"notification_id": str(notification.pk)}
    assert notification.sent_at is not None


@override_settings(EMAIL_BACKEND="tests.notifications.failing_backend.EmailBackend")
def test_failed_delivery_is_retried_later_by_the_sweep_and_never_lost():
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.attempts == 1
    assert "SMTP" in notification.last_error
    # not due yet: the sweep leaves it
    assert notifications_send_pending() == 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert notifications_send_pending(as_of=timezone.now() + timedelta(hours=1)) == 1
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="tests.notifications.failing_backend.EmailBackend")
def test_sending_is_given_up_after_too_many_failures():
    notification = NotificationFactory(attempts=MAX_ATTEMPTS - 1)
    notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert notifications_send_pending(as_of=timezone.now() + timedelta(days=1)) == 0


def test_enqueue_does_not_fail_the_caller_when_the_broker_is_down(broker_down, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue(user)
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert mail.outbox == []
    assert notifications_send_pending() == 1
    assert len(mail.outbox) == 1


def test_many_rows_are_queued_in_a_few_messages_and_each_is_sent_once(
    celery_eager, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import services, tasks

    queued = []
    for task in (tasks.notification_send_task, tasks.notifications_send_task):
        monkeypatch.setattr(task, "apply_async", lambda args, *, _run=task, **kw: queued.append(args) or _run(*args))
    users = UserFactory.create_batch(3)
    count = 2 * services.SEND_CHUNK + 1
    items = [
        {
            "recipient": users[n % 3],
            "kind": NotificationKind.EMAIL_FAILING,
            "subject": "Verwijsindex: test",
            "template": "notifications/email/email_failing",
            "context": CONTEXT,
            "dedupe_key": f"many-{n}",
        }
        for n in range(count)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_enqueue(items)
    assert [len(args[0]) if isinstance(args[0], list) else 1 for args in queued] == [services.SEND_CHUNK] * 2 + [1]
    assert len(mail.outbox) == count
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_one_worker_is_skipped_by_another():
    notification = NotificationFactory()
    locked = threading.Event()
    release = threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=notification.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert locked.wait(10)
    try:
        assert notification_send(notification_id=notification.pk) is False  # skipped, not waited for
    finally:
        release.set()
        thread.join()
    assert mail.outbox == []
    assert notification_send(notification_id=notification.pk) is True


def test_daily_digest_bundles_match_notifications_into_one_email(celery_eager, django_capture_on_commit_callbacks):
    user = UserFactory(notification_preference=NotificationPreference.DAILY_DIGEST, full_name="Dirk Digest")
    with django_capture_on_commit_callbacks(execute=True):
        first = _enqueue(user, key="m1", kind=NotificationKind.MATCH, professional_name="Eerste Collega")
        second = _enqueue(user, key="m2", kind=NotificationKind.MATCH, professional_name="Tweede Collega")
        other = _enqueue(user, key="o1", kind=NotificationKind.EMAIL_FAILING)
    # only the non-match message goes at once
    assert len(mail.outbox) == 1
    assert first.held_for_digest and second.held_for_digest and not other.held_for_digest

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_build() == 1
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "2 nieuwe meldingen" in digest.body
    assert "Eerste Collega" in digest.body and "Tweede Collega" in digest.body
    assert "Eerste Collega" in digest.alternatives[0][0]
    assert digest.alternatives[0][0].count("<html") == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_build() == 0
    notifications_send_pending()
    assert len(mail.outbox) == 2


def test_digest_waits_for_notifications_made_after_its_time():
    user = UserFactory(notification_preference=NotificationPreference.DAILY_DIGEST)
    with time_machine.travel("2026-03-02 08:00 +0100", tick=False):
        _enqueue(user, key="later", kind=NotificationKind.MATCH)
    assert notification_digests_build(as_of=timezone.make_aware(timezone.datetime(2026, 3, 2, 7, 0))) == 0
    assert notification_digests_build(as_of=timezone.make_aware(timezone.datetime(2026, 3, 3, 7, 0))) == 1


@pytest.fixture
def counting_backend(settings):
    from tests.notifications import counting_backend

    settings.EMAIL_BACKEND = "tests.notifications.counting_backend.EmailBackend"
    counting_backend.opened[0] = 0
    counting_backend.refused.clear()
    return counting_backend


def test_a_batch_is_sent_through_one_mail_session(counting_backend):
    from notifications.services import notifications_send

    rows = NotificationFactory.create_batch(4)
    assert notifications_send(notification_ids=[row.pk for row in rows]) == 4
    assert counting_backend.opened[0] == 1
    assert len(mail.outbox) == 4
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_message_that_breaks_the_session_fails_alone_and_the_rest_of_the_batch_is_sent(counting_backend):
    from notifications.services import notifications_send

    rows = NotificationFactory.create_batch(3)
    Notification.objects.filter(pk=rows[1].pk).update(subject="Verwijsindex: geweigerd")
    counting_backend.refused.add("Verwijsindex: geweigerd")
    assert notifications_send(notification_ids=[row.pk for row in rows]) == 2
    failed = Notification.objects.get(pk=rows[1].pk)
    assert failed.sent_at is None and failed.attempts == 1 and "connection lost" in failed.last_error
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2
    # the broken session was closed; the last row went out through a new one
    assert counting_backend.opened[0] == 2


@override_settings(EMAIL_BACKEND="tests.notifications.failing_backend.EmailBackend")
def test_a_batch_while_the_mail_server_is_down_records_a_failed_attempt_on_every_row():
    from notifications.services import notifications_send

    rows = NotificationFactory.create_batch(2)
    assert notifications_send(notification_ids=[row.pk for row in rows]) == 0
    assert list(Notification.objects.values_list("attempts", flat=True)) == [1, 1]
    assert not Notification.objects.filter(sent_at__isnull=False).exists()


def test_each_row_of_a_batch_is_committed_with_its_logbook_entry_before_the_next_is_sent(counting_backend):
    from audit.models import LogEntry
    from notifications.services import notifications_send

    rows = NotificationFactory.create_batch(3)
    seen = []
    original = counting_backend.EmailBackend.send_messages

    def send_messages(self, messages):
        # what the database holds when the next e-mail goes out: every earlier row sent and logged
        seen.append(
            (
                Notification.objects.filter(sent_at__isnull=False).count(),
                LogEntry.objects.filter(action="notification_sent").count(),
            )
        )
        return original(self, messages)

    counting_backend.EmailBackend.send_messages = send_messages
    try:
        assert notifications_send(notification_ids=[row.pk for row in rows]) == 3
    finally:
        counting_backend.EmailBackend.send_messages = original
    assert seen == [(0, 0), (1, 1), (2, 2)]
    assert LogEntry.objects.filter(action="notification_sent").count() == 3


def test_every_e_mail_carries_a_stable_message_id_of_its_outbox_row():
    from notifications.services import notification_render

    first, second = NotificationFactory.create_batch(2)
    message_id = notification_render(notification=first).message()["Message-ID"]
    assert message_id == notification_render(notification=first).message()["Message-ID"]
    assert message_id != notification_render(notification=second).message()["Message-ID"]
    assert f"notification-{first.pk}." in message_id

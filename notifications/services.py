"""Writes of the outbox: enqueue in the caller's transaction, send each row once, sweep, digest, bounces."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models.constants import OnConflict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from audit import events as audit_events
from core.links import region_url
from core.sweeps import sweep_each
from core.tasks import task_send
from persons.redaction import redact_bsn

from .models import DIGEST_KINDS, Notification, NotificationKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# rows whose sending one task message queues
SEND_CHUNK = 50
EMAIL_BASE = "notifications/email/base.html"
EMAIL_FRAGMENT = "notifications/email/fragment.html"
DIGEST_TEMPLATE = "notifications/email/digest"
EMAIL_FAILING_TEMPLATE = "notifications/email/email_failing"


def _dispatch_send(notification_ids: list[int]) -> None:
    """Queue the sending of these rows, one task message per SEND_CHUNK rows (a message costs milliseconds, and
    the nightly life cycle queues thousands). A broker that is down must not fail the caller: the sweep sends
    the rows later."""
    for start in range(0, len(notification_ids), SEND_CHUNK):
        chunk = notification_ids[start : start + SEND_CHUNK]
        one = len(chunk) == 1
        queued = task_send("notifications.send", chunk[0]) if one else task_send("notifications.send_many", chunk)
        if not queued:
            return  # the broker is down: the rows stay in the outbox for the sweep


def notification_enqueue(
    *, recipient: User, kind: str, subject: str, template: str, context: dict, dedupe_key: str
) -> Notification:
    """Write an outbox row in the caller's transaction; after commit its sending is queued.

    A second call with the same dedupe_key returns the existing row and queues nothing.
    Rows of a digest kind wait for the daily digest when the recipient chose it.
    """
    return notifications_enqueue(
        [
            {
                "recipient": recipient,
                "kind": kind,
                "subject": subject,
                "template": template,
                "context": context,
                "dedupe_key": dedupe_key,
            }
        ]
    )[0]


def notifications_enqueue(items: list[dict]) -> list[Notification]:
    """notification_enqueue for several rows at once (each item holds its keyword arguments).

    One statement when every key is new: INSERT ... ON CONFLICT DO NOTHING RETURNING names the rows this call
    wrote; a second statement reads the rows that already existed (a retried change), which are not queued again.
    """
    if not items:
        return []
    keys = [item["dedupe_key"] for item in items]
    objs = [
        Notification(
            recipient=item["recipient"],
            kind=item["kind"],
            subject=item["subject"][:300],
            template=item["template"],
            context=item["context"],
            dedupe_key=item["dedupe_key"],
            held_for_digest=item["kind"] in DIGEST_KINDS
            and item["recipient"].notification_preference == "daily_digest",
        )
        for item in items
    ]
    # no savepoint: a failing insert fails the caller's transaction anyway, and a savepoint costs two round trips
    with transaction.atomic(savepoint=False):
        # bulk_create(ignore_conflicts=True) gives no ids back, so the insert is made with RETURNING here;
        # a concurrent enqueue of the same key never fails the caller's transaction
        fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
        returned = Notification.objects._insert(
            objs,
            fields=fields,
            returning_fields=[Notification._meta.pk, Notification._meta.get_field("dedupe_key")],
            on_conflict=OnConflict.IGNORE,
        )
        new_ids = {key: pk for pk, key in (row for row in returned if row is not None)}
        rows = {}
        for obj in objs:
            if obj.dedupe_key in new_ids:
                obj.pk = new_ids[obj.dedupe_key]
                obj._state.adding = False
                obj._state.db = Notification.objects.db
                rows[obj.dedupe_key] = obj
        existing = [key for key in keys if key not in new_ids]
        if existing:
            rows.update({n.dedupe_key: n for n in Notification.objects.filter(dedupe_key__in=existing)})
    to_send = [new_ids[key] for key in keys if key in new_ids and not rows[key].held_for_digest]
    if to_send:
        # sending twice is impossible (row lock + sent_at), so a concurrent duplicate dispatch is harmless
        transaction.on_commit(lambda: _dispatch_send(to_send), robust=True)
    return [rows[key] for key in keys]


def mail_with_link(
    *,
    recipients,
    region,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    dedupe_key: str,
    path: str | None = None,
    link_region=None,
    key_per_recipient: bool = True,
) -> list[Notification]:
    """The e-mail with a link to the region's host: one outbox row per recipient, in the caller's transaction.

    The context gets `region_name` and, given a `path`, `url`: that page on the host of `link_region` (the
    recipient's own region, when it differs) or else `region`. Each row is keyed `<dedupe_key>:<user id>`
    (`key_per_recipient`) so a second call sends nobody anything twice. Subject and context hold no BSN or name.
    """
    context = {**context, "region_name": region.name}
    if path is not None:
        context["url"] = region_url(link_region or region, path)
    return notifications_enqueue(
        [
            {
                "recipient": user,
                "kind": kind,
                "subject": str(subject),
                "template": template,
                "context": context,
                "dedupe_key": f"{dedupe_key}:{user.pk}" if key_per_recipient else dedupe_key,
            }
            for user in recipients
        ]
    )


def _render_parts(notification: Notification, *, base: str) -> tuple[str, str]:
    context = dict(notification.context)
    context.update(email_base=base, subject=notification.subject, recipient_name=notification.recipient.full_name)
    if notification.kind == NotificationKind.DIGEST:
        items = Notification.objects.filter(pk__in=context.get("item_ids", [])).order_by("created_at", "id")
        context["items"] = [
            dict(zip(("text", "html"), _render_parts(item, base=EMAIL_FRAGMENT), strict=True), subject=item.subject)
            for item in items.select_related("recipient")
        ]
    text = render_to_string(f"{notification.template}.txt", context)
    html = render_to_string(f"{notification.template}.html", context)
    return text, html


def notification_render(*, notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of an outbox row, in Dutch, with a text and an HTML part."""
    with translation.override(settings.LANGUAGE_CODE):
        text, html = _render_parts(notification, base=EMAIL_BASE)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={"Auto-Submitted": "auto-generated", "Message-ID": notification_message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    # read by anymail back-ends; the provider returns them in tracking events
    message.tags = [notification.kind]
    message.metadata = {"notification_id": str(notification.pk)}
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 360))


def notification_send(*, notification_id: int) -> bool:
    """Send one outbox row if nobody sent it yet; True when this call sent it."""
    return notifications_send(notification_ids=[notification_id]) == 1


def notifications_send(*, notification_ids: list[int]) -> int:
    """Send these outbox rows if nobody sent them yet; returns how many this call sent.

    One session with the mail provider (SMTP, or HTTP for an anymail provider) for the lot, but each row is
    claimed, sent and marked sent in its own short transaction (`core.sweeps.sweep_each`): the row is
    locked (SKIP LOCKED, so a second worker skips it), the e-mail goes out, and the row's outcome and its
    logbook entry are committed before the next row is claimed. A worker killed, or a database that goes away,
    therefore repeats at most the one
    e-mail that the provider accepted in the instant before that commit; every e-mail delivered earlier in the
    batch is already marked sent. That repeat carries the same `Message-ID` (`notification_message_id`), so a
    provider or mail client can drop it. A row that cannot be sent records its own failed attempt and is
    retried later; the others still go out.
    """
    if not notification_ids:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - each row below tries again and records the failure
        logger.warning("mail provider not reachable; sending %s outbox rows one by one", len(notification_ids))
    sent = 0

    def send_one(notification_id: int) -> None:
        nonlocal sent
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True, failed_at__isnull=True, held_for_digest=False)
            .first()
        )
        if row is None:
            return
        delivered = _deliver(row, connection=connection, now=timezone.now())
        row.save(
            update_fields=["provider_message_id", "sent_at", "attempts", "last_error", "failed_at", "next_attempt_at"]
        )
        if delivered:
            audit_events.notification_sent(kind=row.kind, recipient_id=row.recipient_id)
            sent += 1

    try:
        # each row in its own transaction (sweep_each's); a row whose bookkeeping fails (a deadlock, the
        # database away) is reported and tried again later, the rows after it still go out
        sweep_each(name="outbox", ids=sorted(set(notification_ids)), action=send_one)
        return sent
    finally:
        _connection_close(connection)


def notification_message_id(notification: Notification) -> str:
    """The stable `Message-ID` of an outbox row: the same for every attempt, different for every row (and
    for every deployment, through the sender's domain and the row's creation time)."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "verwijsindex.invalid"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"


def _deliver(notification: Notification, *, connection, now: datetime) -> bool:
    """Send one locked row through `connection`; its fields record the outcome (the caller saves them)."""
    try:
        message = notification_render(notification=notification)
        message.connection = connection
        message.send()
    except Exception as exc:  # noqa: BLE001 - any provider or template error: retry later, never lose the row
        _connection_close(connection)  # a broken session: the next row opens a fresh one
        notification.attempts += 1
        notification.last_error = redact_bsn(f"{type(exc).__name__}: {exc}")[:500]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.failed_at = now
        else:
            notification.next_attempt_at = now + _backoff(notification.attempts)
        logger.warning("notification %s not sent (attempt %s)", notification.pk, notification.attempts)
        return False
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    notification.provider_message_id = "" if message_id is None else str(message_id)[:255]
    notification.sent_at = now
    notification.attempts += 1
    return True


def _connection_close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - closing a session that already broke: nothing left to save
        logger.info("closing the mail connection failed; it is dropped")


def notifications_send_pending(*, as_of: datetime | None = None, limit: int = 1000) -> int:
    """The sweep: send outbox rows that are due and not yet sent (e.g. queued while the broker was down)."""
    as_of = as_of or timezone.now()
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True, held_for_digest=False)
        .exclude(next_attempt_at__gt=as_of)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = notifications_send(notification_ids=ids)
    if ids:
        logger.info("outbox sweep: %s due, %s sent", len(ids), sent)
    return sent


def notification_digests_build(*, as_of: datetime | None = None) -> int:
    """Bundle each professional's held notifications into one digest e-mail; returns the digests made."""
    as_of = as_of or timezone.now()
    recipients = (
        Notification.objects.filter(held_for_digest=True, digest__isnull=True, created_at__lte=as_of)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    made = 0
    for recipient_id in list(recipients):
        if notification_digest_build(recipient_id=recipient_id, as_of=as_of):
            made += 1
    return made


def notification_digest_build(*, recipient_id: int, as_of: datetime) -> Notification | None:
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=recipient_id, held_for_digest=True, digest__isnull=True, created_at__lte=as_of)
            .order_by("id")
        )
        if not items:
            return None
        recipient = items[0].recipient
        count = len(items)
        digest = notification_enqueue(
            recipient=recipient,
            kind=NotificationKind.DIGEST,
            subject=_("Verwijsindex: overzicht van %(count)s nieuwe melding(en)") % {"count": count},
            template=DIGEST_TEMPLATE,
            context={"item_ids": [item.pk for item in items], "count": count},
            dedupe_key=f"digest:{recipient_id}:{items[0].pk}",
        )
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(digest=digest)
    return digest


def _organisation_coordinators(user: User) -> list[tuple[User, str]]:
    organisations = Membership.objects.filter(
        user=user, active=True, role__in=(Role.PROFESSIONAL, Role.ORGANISATION_COORDINATOR)
    ).values_list("organisation_id", flat=True)
    memberships = (
        Membership.objects.filter(role=Role.ORGANISATION_COORDINATOR, active=True, organisation_id__in=organisations)
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("user_id")
    )
    return [(m.user, m.organisation.name) for m in memberships if m.user.is_active]


def notification_delivery_failed(
    *, recipient_email: str, message_id: str = "", notification_id: str = "", occurred_at: datetime | None = None
) -> User | None:
    """The provider reports mail to this address bounced or was rejected: mark it failing, tell the coordinators."""
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        user = None
        notification = None
        if notification_id and str(notification_id).isdigit():
            notification = Notification.objects.filter(pk=int(notification_id)).select_related("recipient").first()
        if notification is None and message_id:
            notification = Notification.objects.filter(provider_message_id=message_id).first()
        candidate = notification.recipient if notification is not None else None
        if candidate is None or candidate.email.lower() != (recipient_email or "").lower():
            # an address changed since the message went out is not failing
            candidate = User.objects.filter(email__iexact=recipient_email or "").first()
        if candidate is None:
            return None
        user = User.objects.select_for_update().get(pk=candidate.pk)
        if user.email_failing_since is not None:
            return user
        user.email_failing_since = occurred_at
        user.save(update_fields=["email_failing_since"])
        audit_events.email_failing(actor=None, user_id=user.pk)
        for coordinator, organisation_name in _organisation_coordinators(user):
            notification_enqueue(
                recipient=coordinator,
                kind=NotificationKind.EMAIL_FAILING,
                subject=_("Verwijsindex: e-mail aan een medewerker komt niet aan"),
                template=EMAIL_FAILING_TEMPLATE,
                context={
                    "professional_name": user.full_name,
                    "professional_email": user.email,
                    "organisation_name": organisation_name,
                    "since": occurred_at.isoformat(),
                },
                dedupe_key=f"email_failing:{user.pk}:{occurred_at.isoformat()}:{coordinator.pk}",
            )
    return user


def notification_delivery_succeeded(*, recipient_email: str, occurred_at: datetime | None = None) -> None:
    """A later delivery to the address shows it works again."""
    occurred_at = occurred_at or timezone.now()
    User.objects.filter(email__iexact=recipient_email or "", email_failing_since__lt=occurred_at).update(
        email_failing_since=None
    )

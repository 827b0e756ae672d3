"""E-mail to professionals about their signals, through the notifications outbox."""

from notifications.services import notification_enqueue, notifications_enqueue


def notify(*, recipient, kind: str, subject: str, template: str, context: dict, dedupe_key: str) -> None:
    """Queue one e-mail to `recipient` in the caller's transaction; `dedupe_key` makes a retry send nothing new."""
    notification_enqueue(
        recipient=recipient, kind=kind, subject=str(subject), template=template, context=context, dedupe_key=dedupe_key
    )


def notify_many(items: list[dict]) -> None:
    """notify for many e-mails at once (each item holds its keyword arguments), in a few statements for the lot."""
    notifications_enqueue([{**item, "subject": str(item["subject"])} for item in items])

"""E-mail to professionals about their signals, through the notifications outbox.

Until the outbox (notifications.services.notification_enqueue) exists in this checkout, the same
templates are sent directly after the commit, so no caller has to know which of the two runs.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def notify(*, recipient, kind: str, subject: str, template: str, context: dict, dedupe_key: str) -> None:
    """Queue one e-mail to `recipient` in the caller's transaction; `dedupe_key` makes a retry send nothing new."""
    try:
        from notifications.services import notification_enqueue
    except ImportError:
        notification_enqueue = None
    if notification_enqueue is not None:
        notification_enqueue(
            recipient=recipient, kind=kind, subject=subject, template=template, context=context, dedupe_key=dedupe_key
        )
        return

    def send():
        message = EmailMultiAlternatives(
            subject=str(subject), body=render_to_string(f"{template}.txt", context), to=[recipient.email]
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()

    transaction.on_commit(send)

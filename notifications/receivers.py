"""Receivers of the e-mail provider's tracking events (django-anymail); they only call services."""

from anymail.signals import tracking
from django.dispatch import receiver

from . import services

FAILURE_EVENTS = {"bounced", "rejected"}


@receiver(tracking, dispatch_uid="notifications.delivery_tracking")
def delivery_tracking(sender, event, esp_name, **kwargs):
    if event.event_type in FAILURE_EVENTS:
        services.notification_delivery_failed(
            recipient_email=event.recipient or "",
            message_id=event.message_id or "",
            notification_id=(event.metadata or {}).get("notification_id", ""),
            occurred_at=event.timestamp,
        )
    elif event.event_type == "delivered":
        services.notification_delivery_succeeded(recipient_email=event.recipient or "", occurred_at=event.timestamp)

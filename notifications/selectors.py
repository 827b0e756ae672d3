"""Reads of the outbox, scoped to the acting user."""

from django.db.models import QuerySet

from .models import Notification


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")

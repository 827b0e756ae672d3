"""The e-mail outbox: one row per message that must go out, written in the transaction of the change."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Kinds the app knows by name; other apps may pass their own kind strings too."""

    MATCH = "match", _("Nieuwe match")
    DIGEST = "digest", _("Dagelijks overzicht")
    EMAIL_FAILING = "email_failing", _("E-mail komt niet aan")


# kinds a professional with the daily-digest preference receives bundled once a day
DIGEST_KINDS = frozenset({NotificationKind.MATCH.value})


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("soort"), max_length=64, db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    # template base name: `<template>.txt` and `<template>.html` are rendered at sending time
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # the caller's idempotency key: a retried change finds its row instead of writing a second one
    dedupe_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    # set for digest kinds when the recipient chose one e-mail a day; `digest` is the row that bundled it
    held_for_digest = models.BooleanField(default=False)
    # No database constraint: a self-reference is a circular foreign key to pg_dump, and a data-only restore
    # could not load it (docs/adr/0040); Django still applies SET_NULL when a digest row is deleted.
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items", db_constraint=False
    )

    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # set when sending was given up after too many failures
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the sweep reads only the few rows still to send
            models.Index(
                fields=["id"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True, held_for_digest=False),
                name="notification_to_send",
            ),
            models.Index(
                fields=["recipient", "id"],
                condition=Q(held_for_digest=True, digest__isnull=True),
                name="notification_to_digest",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None and self.failed_at is None and not self.held_for_digest

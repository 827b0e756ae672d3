"""Logbook entries. They name the youth by pseudonym only, never by BSN; each sealed row is chained to the previous
one by a keyed hash (docs/adr/0002-logbook.md)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LogEntry(models.Model):
    # set by log_event before the insert, because the timestamp is part of the hashed content
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    action = models.CharField(_("handeling"), max_length=64, db_index=True)
    # who: the user (kept as id and name, so the entry outlives the account), or a system job
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(_("door"), max_length=200)
    ip_address = models.GenericIPAddressField(_("vanaf"), null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    youth_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    signal_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    # Written once by the sealer after the entry's transaction committed (audit.sealing); empty until then.
    # seq: the entry's place in the chain (1, 2, 3, ... without gaps); entry_hash: HMAC-SHA256 under key
    # `key_version` of the previous entry's hash and this entry's content (audit.chain).
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    key_version = models.CharField(max_length=32, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the sealer's queue: the few entries not yet chained
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_logentry_unsealed"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

"""API clients (one record system of one organisation) and the idempotency keys of their placements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation


class ApiClient(models.Model):
    """A client record system that calls the API for one organisation (which fixes the region).

    The secret is 256 random bits, so a plain SHA-256 of it cannot be brute-forced; only that hash is kept.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(_("naam"), max_length=200)
    client_id = models.CharField(_("client-id"), max_length=64, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    # SHA-256 fingerprint of the client certificate (64 hex digits), checked against the header the
    # TLS-terminating proxy sets (API_CLIENT_CERT_HEADER); empty means no certificate is pinned
    certificate_fingerprint = models.CharField(_("vingerafdruk clientcertificaat"), max_length=64, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-koppeling")
        verbose_name_plural = _("API-koppelingen")
        ordering = ["organisation", "name", "id"]

    def __str__(self):
        return f"{self.name} ({self.client_id})"

    @property
    def usable(self) -> bool:
        return self.active and self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The response to a placement, replayed when the client retries with the same Idempotency-Key."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_records")
    # keyed hash (HMAC) of the Idempotency-Key: clients choose the key, and some build it from the BSN
    key_hmac = models.CharField(max_length=64)
    # keyed hash (HMAC) of the request body: the body holds a BSN, and a plain hash of nine digits is reversible
    request_hmac = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key_hmac"], name="idempotency_key_once_per_client")]

    def __str__(self):
        return f"{self.client_id}:{self.key_hmac[:12]}"

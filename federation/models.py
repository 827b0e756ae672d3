"""The federation's rows: what the hub keeps per signal, and a regional deployment's outbox and remote partners.

Both roles run one codebase, so both sets of tables exist in every database; each role writes only its own.
No foreign key leaves this app, so the hub runs with `federation` as its only app of the project.
The hub's rows hold no BSN, no name, no contact details and no organisation (docs/federation.md).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyKind(models.TextChoices):
    YOUTH = "youth", _("jeugdige")
    PARENT = "parent", _("ouder")
    ADDRESS = "address", _("adres")


class SignalState(models.TextChoices):
    ACTIVE = "active", _("actief")
    ARCHIVED = "archived", _("gearchiveerd")


# --- the hub --------------------------------------------------------------------------------------------------


class HubSignal(models.Model):
    """A deployment's signal as the hub knows it: an opaque reference, its state and dates, its national match."""

    deployment = models.CharField(max_length=64)
    # random, chosen by the deployment; says nothing about the youth or the professional
    reference = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    state = models.CharField(max_length=16, choices=SignalState.choices, default=SignalState.ACTIVE)
    # the day the signal was placed (the coordinator rule: the earliest active signal of the national match)
    placed_on = models.DateField()
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # the national match: the connected signals that share keys, across deployments (L-000123)
    national_match = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deployment", "reference"], name="hub_signal_once")]

    def __str__(self):
        return f"{self.deployment}/{self.reference}"


class HubKey(models.Model):
    """One national match key of a registered signal: an OPRF output (hex), never a BSN or a BAG id."""

    signal = models.ForeignKey(HubSignal, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=16, choices=KeyKind.choices)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "kind", "value"], name="hub_key_once")]
        indexes = [models.Index(fields=["kind", "value"], name="hub_key_lookup")]

    def __str__(self):
        return f"{self.kind} key of {self.signal_id}"


class HubMatchCounter(models.Model):
    """The numbers of national matches (L-000123): a row per number handed out, with the coordinator decided for it.

    The decision is made by the deployment that holds the deciding signal (the national match's earliest active
    one), by its region's rules; the hub keeps only which signal it chose (docs/federation.md)."""

    created_at = models.DateTimeField(default=timezone.now)
    # valid while that signal is active and still in this national match; else the deciding signal stands in
    coordinator = models.ForeignKey(HubSignal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    coordinator_since = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return national_reference(self.pk)


class HubNotice(models.Model):
    """What a deployment must hear about one of its signals' partners: withdrawn, archived, a new coordinator.

    References only; fetched and acknowledged by the deployment (the hub never calls out for this)."""

    deployment = models.CharField(max_length=64)
    reference = models.CharField(max_length=64)
    event = models.CharField(max_length=32)
    from_deployment = models.CharField(max_length=64, blank=True)
    from_reference = models.CharField(max_length=64, blank=True)
    coordinator_deployment = models.CharField(max_length=64, blank=True)
    coordinator_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["deployment", "id"], name="hub_notice_for_deployment")]

    def __str__(self):
        return f"{self.event} for {self.deployment}/{self.reference}"


class HubRightsRequest(models.Model):
    """A citizen's request a deployment registered at the hub before it may ask about other deployments' signals.

    The hub relays an inquiry only for a registered request, for one youth (the digest of its national key, bound at
    the first inquiry), a few times; registrations are limited per deployment and day (docs/federation.md)."""

    deployment = models.CharField(max_length=64)
    # opaque, chosen by the deployment (a keyed digest of its request's id): says nothing about the citizen
    reference = models.CharField(max_length=64)
    kind = models.CharField(max_length=16)
    key_digest = models.CharField(max_length=64, blank=True)
    inquiries = models.PositiveSmallIntegerField(default=0)
    registered_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deployment", "reference"], name="hub_rights_request_once")]

    def __str__(self):
        return f"{self.deployment}/{self.reference}"


def national_reference(pk: int | None) -> str:
    return f"L-{pk:06d}" if pk else ""


class IdempotentCall(models.Model):
    """An answered call by idempotency key, so a repeated call gets the same answer and changes nothing."""

    peer = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "key"], name="idempotent_call_once")]

    def __str__(self):
        return f"{self.peer}:{self.key}"


# --- both ends ------------------------------------------------------------------------------------------------


class CallDirection(models.TextChoices):
    IN = "in", _("ontvangen")
    OUT = "out", _("verzonden")


class FederationCall(models.Model):
    """The log of every federation call at this end: who, what, when, the signature; never the body."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    direction = models.CharField(max_length=4, choices=CallDirection.choices)
    peer = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField(null=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    signature = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.direction} {self.peer} {self.method} {self.path} {self.status}"


# --- a regional deployment ------------------------------------------------------------------------------------


class FederatedSignal(models.Model):
    """This deployment's reference at the hub for one of its signals (random, so the hub learns nothing from it)."""

    # the local signal's id; no foreign key, so the hub's schema needs no other app (see the module docstring)
    signal_id = models.BigIntegerField(unique=True)
    reference = models.CharField(max_length=64, unique=True)
    national_match = models.CharField(max_length=16, blank=True)
    # the hub key id its keys were last registered under (key rotation: federation_rekey)
    key_id = models.CharField(max_length=16, blank=True)
    # the national match's coordinator as the hub decided it: (deployment, reference)
    coordinator_deployment = models.CharField(max_length=64, blank=True)
    coordinator_reference = models.CharField(max_length=64, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.reference


class OutboxState(models.TextChoices):
    PENDING = "pending", _("wacht")
    SENT = "sent", _("verzonden")
    FAILED = "failed", _("geweigerd")


class OutboxMessage(models.Model):
    """A call to the hub that must happen: written in the signal's transaction, sent (and resent) afterwards.

    The idempotency key goes with every attempt, so a call that reached the hub but whose answer was lost
    changes nothing when it is sent again. The body holds OPRF outputs and references only.
    """

    idempotency_key = models.CharField(max_length=64, unique=True)
    operation = models.CharField(max_length=32)
    signal_id = models.BigIntegerField(db_index=True)
    body = models.JSONField(default=dict)
    state = models.CharField(max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="federation_outbox_due", condition=Q(state="pending"))
        ]

    def __str__(self):
        return f"{self.operation} {self.idempotency_key} ({self.state})"


class RemoteParticipant(models.Model):
    """A signal of another deployment matched with one of ours: the contact details a match needs, nothing more."""

    signal_id = models.BigIntegerField(db_index=True)
    deployment = models.CharField(max_length=64)
    reference = models.CharField(max_length=64)
    kinds = models.JSONField(default=list)
    contact_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    # the kind of organisation (codes of regions.Sector/Subtype): what a region's coordinator rules look at
    sector = models.CharField(max_length=32, blank=True)
    subtype = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=16, choices=SignalState.choices, default=SignalState.ACTIVE)
    placed_on = models.DateField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal_id", "deployment", "reference"], name="remote_participant_once")
        ]

    def __str__(self):
        return f"{self.deployment}/{self.reference} for signal {self.signal_id}"


class NationalFollowUp(models.Model):
    """The follow-up of a national match as its coordinator recorded it (docs/federation.md, "Follow-up").

    Kept in the coordinator's deployment (what it recorded and sent) and in every other deployment with a signal in
    the national match (what it received through the hub). Per participant (deployment, reference) the date contact
    was made, and for the match the date coordination was agreed; references and dates only, no contact details.
    """

    national_match = models.CharField(max_length=16, unique=True)
    coordinator_deployment = models.CharField(max_length=64)
    coordinator_reference = models.CharField(max_length=64)
    coordination_agreed_on = models.DateField(_("afgestemd op"), null=True, blank=True)
    # [{"deployment": …, "reference": …, "contact_made_on": "YYYY-MM-DD" | null}]
    contacts = models.JSONField(default=list)
    # when the coordinator recorded it: a relayed record older than the one kept changes nothing
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"follow-up of {self.national_match}"

    def contact_of(self, deployment: str, reference: str):
        """The date contact was made with this participant, or None."""
        for entry in self.contacts:
            if entry.get("deployment") == deployment and entry.get("reference") == reference:
                value = entry.get("contact_made_on")
                return datetime.date.fromisoformat(value) if value else None
        return None


class HubHandover(models.Model):
    """A hand-over of a national match's coordinator role between two of its signals (references only).

    Proposed by the coordinator's deployment; pending until the proposed signal's deployment answers. An accepted
    one names the coordinator while its signal is active in the match (hub.coordinator_of)."""

    from_signal = models.ForeignKey(HubSignal, on_delete=models.CASCADE, related_name="+")
    to_signal = models.ForeignKey(HubSignal, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"hand-over {self.from_signal_id} -> {self.to_signal_id}"


class NationalHandover(models.Model):
    """A regional deployment's pending hand-over of a national match's coordinator role: proposed by one of our
    signals to another deployment's (`out`), or to one of ours by another deployment's coordinator (`in`)."""

    signal_id = models.BigIntegerField(db_index=True)
    direction = models.CharField(max_length=4, choices=[("in", "in"), ("out", "out")])
    other_deployment = models.CharField(max_length=64)
    other_reference = models.CharField(max_length=64)
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal_id", "direction"], name="national_handover_once")]

    def __str__(self):
        return f"{self.direction} hand-over of signal {self.signal_id}"


class RemoteSignalListing(models.Model):
    """For a citizen's request: a signal another deployment holds on the youth, as that deployment answered an
    inquiry relayed by the hub (what the local overview shows of a local signal)."""

    # the rights request's id; no foreign key (the hub's schema needs no other app)
    rights_request_id = models.BigIntegerField(db_index=True)
    deployment = models.CharField(max_length=64)
    region_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200, blank=True)
    placed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=16, choices=SignalState.choices)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placed_on", "id"]

    def __str__(self):
        return f"{self.deployment}: {self.organisation} ({self.state})"

"""Match keys per signal, match links between pairs of signals, the match coordinator per youth and follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from persons.models import Youth
from signals.models import Signal


class MatchKeyKind(models.TextChoices):
    YOUTH = "youth", _("jeugdige")
    PARENT = "parent", _("ouder")
    ADDRESS = "address", _("adres")


class MatchKey(models.Model):
    """One key a signal contributes (youth id, each parent pseudonym, the address pseudonym).

    Finding a new signal's partners is then a few index look-ups on (kind, value), whatever the
    number of stored signals.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="match_keys")
    kind = models.CharField(max_length=16, choices=MatchKeyKind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "kind", "value"], name="match_key_once")]
        indexes = [models.Index(fields=["kind", "value"], name="match_key_lookup")]

    def __str__(self):
        return f"{self.kind} key of signal {self.signal_id}"


class MatchKind(models.TextChoices):
    SAME_YOUTH = "same_youth", _("Zelfde jeugdige")
    FAMILY = "family", _("Broer of zus (gedeelde ouder)")
    ADDRESS = "address", _("Zelfde woonadres")


class MatchLink(models.Model):
    """Two signals that match, and why. Stored once per pair and kind: signal_a is the lower id."""

    signal_a = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    signal_b = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort match"), max_length=16, choices=MatchKind.choices)
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["signal_a", "signal_b", "kind"], name="match_link_once"),
            models.CheckConstraint(condition=Q(signal_a__lt=F("signal_b")), name="match_link_ordered"),
        ]
        indexes = [models.Index(fields=["signal_b"], name="match_link_signal_b")]

    def __str__(self):
        return f"{self.kind}: {self.signal_a_id} – {self.signal_b_id}"

    def other(self, signal_id: int) -> int:
        return self.signal_b_id if self.signal_a_id == signal_id else self.signal_a_id


class MatchCoordinator(models.Model):
    """The match coordinator (matchregisseur) of one youth: the professional of `signal`.

    Chosen by the rules of the region where the youth lives; an explicit hand-over (accepted by the
    new coordinator) holds until that signal ends. Referring to the signal, not the user, means a
    transferred signal takes the role along to the colleague.
    """

    youth = models.OneToOneField(Youth, on_delete=models.CASCADE, related_name="match_coordinator")
    signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField(_("matchregisseur sinds"), null=True, blank=True)
    handed_over = models.BooleanField(default=False)
    # a proposed hand-over that waits for the other participant to accept
    proposed_signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    # raised at every change; makes the outbox keys of "the coordinator changed" unique per change
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("matchregisseur")
        verbose_name_plural = _("matchregisseurs")

    def __str__(self):
        return gettext("Matchregisseur jeugdige #%(id)s") % {"id": self.youth_id}


class MatchFollowUp(models.Model):
    """What the coordinator recorded about the follow-up of the youth's match."""

    youth = models.OneToOneField(Youth, on_delete=models.CASCADE, related_name="match_follow_up")
    contact_made_on = models.DateField(_("contact gelegd op"), null=True, blank=True)
    coordination_agreed_on = models.DateField(_("afstemming afgesproken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("opvolging match")
        verbose_name_plural = _("opvolging matches")

    def __str__(self):
        return gettext("Opvolging jeugdige #%(id)s") % {"id": self.youth_id}


class MatchOverviewVisit(models.Model):
    """When a professional last looked at "My matches", so the page can show what is new since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visited_at = models.DateTimeField()

    def __str__(self):
        return f"Bezoek {self.user_id}"

"""Match keys per signal, links between pairs of signals, and the match: its participants, coordinator and follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        verbose_name = _("matchkoppeling")
        verbose_name_plural = _("matchkoppelingen")
        constraints = [
            models.UniqueConstraint(fields=["signal_a", "signal_b", "kind"], name="match_link_once"),
            models.CheckConstraint(condition=Q(signal_a__lt=F("signal_b")), name="match_link_ordered"),
        ]
        indexes = [models.Index(fields=["signal_b"], name="match_link_signal_b")]

    def __str__(self):
        return f"{self.kind}: {self.signal_a_id} – {self.signal_b_id}"

    def other(self, signal_id: int) -> int:
        return self.signal_b_id if self.signal_a_id == signal_id else self.signal_a_id


class Match(models.Model):
    """One match: the signals linked directly or through each other (in practice: the professionals around a family).

    Shown to everyone in it by `reference` (M-000123). It has one matchregisseur (`coordinator_signal`: the
    professional of that signal, so a transferred signal takes the role to the colleague), one region (where the
    youth of the earliest active signal lives: its rules chose the coordinator and its monitor follows it up)
    and, for the match as a whole, the date coordination was agreed. See docs/adr/0001-the-match.md.
    """

    created_at = models.DateTimeField(_("ontstaan op"), default=timezone.now)
    coordinator_signal = models.ForeignKey(
        Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("matchregisseur")
    )
    coordinator_since = models.DateTimeField(_("matchregisseur sinds"), null=True, blank=True)
    # an accepted hand-over holds while that signal is active (the rules do not take the role back)
    handed_over = models.BooleanField(default=False)
    # a proposed hand-over that waits for the proposed participant to accept or decline
    proposed_signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    coordination_agreed_on = models.DateField(_("afgestemd op"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("regio")
    )
    # the coordinator is a professional outside this match (another deployment's index, or another local match of
    # the national match): an opaque key of the national decision; its contact comes from the federation's hook
    coordinator_elsewhere = models.CharField(max_length=140, blank=True, default="", db_default="")
    # raised at every change of coordinator; makes the outbox keys of "the coordinator changed" unique per change
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        indexes = [models.Index(fields=["region", "created_at"], name="match_region_created")]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return match_reference(self.pk)


def match_reference(pk: int) -> str:
    return f"M-{pk:06d}"


class MatchParticipation(models.Model):
    """A signal's place in its match (at most one), with the follow-up kept per participating professional."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="participations")
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="match_participation")
    joined_at = models.DateTimeField(_("betrokken sinds"), default=timezone.now)
    contact_made_on = models.DateField(_("contact gelegd op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelname aan match")
        verbose_name_plural = _("deelnames aan matches")
        indexes = [models.Index(fields=["match", "joined_at"], name="participation_match_joined")]

    def __str__(self):
        return gettext("Signaal %(signal)s in %(match)s") % {
            "signal": self.signal_id,
            "match": match_reference(self.match_id),
        }


class FollowUpCheck(models.Model):
    """A follow-up monitor's note that they chased a match whose follow-up was overdue (nothing about a youth)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checks")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    monitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # kept as text, so the note outlives the monitor's account
    monitor_name = models.CharField(_("door"), max_length=200)
    noted_at = models.DateTimeField(_("opgevolgd op"), auto_now_add=True)
    note = models.CharField(_("notitie"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("opvolging door monitor")
        verbose_name_plural = _("opvolging door monitor")
        ordering = ["-noted_at", "-id"]

    def __str__(self):
        return f"{self.noted_at:%Y-%m-%d} {self.monitor_name}"


class MatchOverviewVisit(models.Model):
    """When a professional last looked at "My matches", so the page can show what is new since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visited_at = models.DateTimeField()

    def __str__(self):
        return f"Bezoek {self.user_id}"

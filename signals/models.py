"""A signal: the link between a professional and a youth. Nothing about the reason is stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from persons.models import Youth
from regions.models import Organisation


class SignalStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    ARCHIVED = "archived", _("Gearchiveerd")


class EndReason(models.TextChoices):
    """Why a signal ended. Only EXPIRED and CONCERN_GONE archive it; the signal row of the others is destroyed."""

    EXPIRED = "expired", _("Verlopen na 2 jaar")
    CONCERN_GONE = "concern_gone", _("Zorg is weggenomen")
    PLACED_WRONGLY = "placed_wrongly", _("Onterecht geplaatst")
    OBJECTION_UPHELD = "objection_upheld", _("Bezwaar toegekend")
    CORRECTION = "correction", _("Correctie")
    TURNED_23 = "turned_23", _("Jeugdige is 23 geworden")
    DIED = "died", _("Jeugdige is overleden")
    ARCHIVE_ENDED = "archive_ended", _("Bewaartermijn archief verstreken")
    UNBORN_NO_BIRTH = "unborn_no_birth", _("Geen geboorte gevonden na de verwachte datum")


ARCHIVING_REASONS = (EndReason.EXPIRED, EndReason.CONCERN_GONE)


class InformingStatus(models.TextChoices):
    INFORMED = "informed", _("Geïnformeerd")
    POSTPONED = "postponed", _("Informeren uitgesteld")
    OMITTED = "omitted", _("Informeren achterwege gelaten")


class Signal(models.Model):
    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="signals")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signals")
    # the contact details matched colleagues see (the professional's at placement or transfer)
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_phone = models.CharField(_("telefoonnummer contactpersoon"), max_length=32, blank=True)

    placed_at = models.DateTimeField(_("geplaatst op"))
    ends_on = models.DateField(_("actief tot"))
    status = models.CharField(_("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.ACTIVE)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde"), max_length=32, choices=EndReason.choices, blank=True)
    # archived signals are destroyed on this date (5 years after archiving)
    archive_until = models.DateField(_("archief tot"), null=True, blank=True)
    # the latest day of destruction the professional was told at placing (or extension), by the region's periods
    # then: a later change of the region's parameters shortens a signal, never lengthens it (signals/periods.py).
    # Empty for signals placed before it was kept: they follow the region's periods as they are now.
    destroy_by = models.DateField(_("uiterlijk vernietigd op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # set once match detection ran for this signal; the sweep detects for signals where it is empty
    matched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # set when the archived signals of others on this youth were shown after placing: they are shown once
    archive_shown_at = models.DateTimeField(null=True, blank=True)

    # extensions (verlengen): the signal stays the same signal with a new last active day
    extended_at = models.DateTimeField(_("laatst verlengd op"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("aantal keer verlengd"), default=0)

    # An unborn child (docs/adr/0030-unborn-children.md): the expected date of birth the professional gave, the
    # day they were asked to update or end the signal when no birth appeared, and the day it moved to the child
    expected_birth_date = models.DateField(_("verwachte geboortedatum"), null=True, blank=True)
    unborn_overdue_notified_on = models.DateField(null=True, blank=True)
    born_moved_on = models.DateField(_("overgezet naar het geboren kind op"), null=True, blank=True)

    # Informing (who was told, when and how; or why not)
    informing_status = models.CharField(_("informeren"), max_length=16, choices=InformingStatus.choices)
    informed_whom = models.CharField(_("wie is geïnformeerd"), max_length=200, blank=True)
    informed_on = models.DateField(_("geïnformeerd op"), null=True, blank=True)
    informed_how = models.CharField(_("hoe geïnformeerd"), max_length=200, blank=True)
    informing_reason = models.TextField(_("reden uitstel of niet informeren"), blank=True)
    objection_voiced = models.BooleanField(_("bezwaar geuit"), default=False)
    objection_override_reason = models.TextField(_("reden om toch te signaleren"), blank=True)
    # the day the informing above was recorded (placement, extension or a later update); a postponed informing
    # comes back on the professional's task list `Region.informing_postponed_weeks` after it
    informing_recorded_on = models.DateField(_("informeren vastgelegd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "youth"],
                condition=Q(status="active"),
                name="one_active_signal_per_professional_and_youth",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="signal_status_ends_on"),
            models.Index(fields=["status", "archive_until"], name="signal_status_archive_until"),
        ]

    def __str__(self):
        return gettext("Signaal %(reference)s") % {"reference": self.reference}

    @property
    def reference(self) -> str:
        """The reference by which e-mails and pages name this signal (never the youth)."""
        return f"VI-{self.pk:07d}"


class Cover(models.Model):
    """Waarneming: a colleague of the same organisation acts for an absent professional from one day to another.

    The colleague receives the match e-mails of the absent professional's active signals and may act on them;
    the signals stay the absent professional's. It ends by itself after `ends_on` (inclusive)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="covers")
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covered_by", verbose_name=_("afwezige")
    )
    covering = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covering", verbose_name=_("waarnemer")
    )
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot en met"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cover_ends_after_start"),
            models.CheckConstraint(condition=~Q(absent=models.F("covering")), name="cover_not_oneself"),
        ]
        indexes = [models.Index(fields=["absent", "ends_on"], name="cover_absent_ends_on")]

    def __str__(self):
        return gettext("Waarneming %(pk)s") % {"pk": self.pk}

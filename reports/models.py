"""Anonymous counters: how often something happened per region, month, municipality and sector.

No row points at a signal, youth or person, so the figures survive the destruction of every signal
they count and cannot be traced back to one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class Metric(models.TextChoices):
    SIGNAL_PLACED = "signal_placed", _("Signalen afgegeven")
    SIGNAL_ENDED_EARLY = "signal_ended_early", _("Signalen eerder beëindigd")
    SIGNAL_EXPIRED = "signal_expired", _("Signalen verlopen")
    SIGNAL_ENDED_OTHERWISE = "signal_ended_otherwise", _("Signalen anders beëindigd")
    SIGNAL_EXTENDED = "signal_extended", _("Signalen verlengd")
    MATCH_SAME_YOUTH = "match_same_youth", _("Matches op dezelfde jeugdige")
    MATCH_SIBLING = "match_sibling", _("Matches op broers en zussen")
    MATCH_ADDRESS = "match_address", _("Matches op hetzelfde adres")
    FOLLOWUP_DUE = "followup_due", _("Matches die opvolging vragen")
    FOLLOWUP_RECORDED = "followup_recorded", _("Matches met vastgelegde opvolging")


class Counter(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="counters")
    # the first day of the month the event happened in (Europe/Amsterdam)
    month = models.DateField(_("maand"))
    municipality_code = models.CharField(_("gemeente (CBS-code)"), max_length=4, blank=True)
    sector = models.CharField(_("sector"), max_length=32, blank=True)
    metric = models.CharField(_("maat"), max_length=32, choices=Metric.choices)
    # only for FOLLOWUP_RECORDED: days from the match to the recorded contact, so a median can be computed
    days = models.PositiveIntegerField(_("dagen tot contact"), default=0)
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("teller")
        verbose_name_plural = _("tellers")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "municipality_code", "sector", "metric", "days"], name="counter_once"
            )
        ]
        indexes = [models.Index(fields=["region", "metric", "month"], name="counter_region_metric_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.metric} {self.count}"

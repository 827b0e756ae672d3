"""Citizens' requests (inzage, kopie, correctie, bezwaar) and the advice tasks of the professionals concerned.

A request names the youth by keyed pseudonym (and, for the municipal staff who handle it, by encrypted BSN).
It does not hold a foreign key to the youth or the signals: those may be destroyed while the request stays.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Municipality, Region


class RequestKind(models.TextChoices):
    INSPECTION = "inspection", _("Inzage")
    COPY = "copy", _("Kopie")
    CORRECTION = "correction", _("Correctie")
    OBJECTION = "objection", _("Bezwaar / verwijdering")


# kinds that ask the professionals for advice and end in a process manager's decision
DECIDED_KINDS = (RequestKind.CORRECTION, RequestKind.OBJECTION)


class RequesterCapacity(models.TextChoices):
    YOUTH = "youth", _("De jeugdige zelf")
    PARENT = "parent", _("Ouder met gezag")
    REPRESENTATIVE = "representative", _("Andere wettelijk vertegenwoordiger")


class IdentityCheckMethod(models.TextChoices):
    ID_DOCUMENT = "id_document", _("Identiteitsbewijs aan de balie")
    DIGID = "digid", _("DigiD")
    OTHER = "other", _("Anders (toelichting)")


class Authority(models.TextChoices):
    """Whether the requester may exercise the right, from the youth's age (Jeugdwet / AVG practice)."""

    ALONE = "alone", _("Mag dit recht alleen uitoefenen")
    JOINTLY = "jointly", _("Mag dit recht alleen samen met de jeugdige / de wettelijk vertegenwoordiger uitoefenen")
    NOT_ALLOWED = "not_allowed", _("Mag dit recht niet uitoefenen")
    UNKNOWN = "unknown", _("Onbekend: de geboortedatum is niet bekend")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    ADVICE_REQUESTED = "advice_requested", _("Advies gevraagd")
    COMPLETED = "completed", _("Afgehandeld")
    UPHELD = "upheld", _("Toegekend")
    REJECTED = "rejected", _("Afgewezen")


class AnswerMethod(models.TextChoices):
    LETTER = "letter", _("Per brief")
    EMAIL = "email", _("Per e-mail")
    DESK = "desk", _("Aan de balie")
    PHONE = "phone", _("Telefonisch")


CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.UPHELD, RequestStatus.REJECTED)


class RightsRequest(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rights_requests")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="rights_requests")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_rights_requests"
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    kind = models.CharField(_("soort verzoek"), max_length=16, choices=RequestKind.choices)
    youth_pseudonym = models.CharField(max_length=64, db_index=True)
    # only municipal staff of the municipality see it back; a professional never does
    bsn_encrypted = models.TextField()
    youth_registered = models.BooleanField(_("jeugdige staat in de verwijsindex"), default=False)
    youth_age = models.PositiveSmallIntegerField(_("leeftijd bij ontvangst"), null=True, blank=True)

    requester_name = models.CharField(_("naam verzoeker"), max_length=200)
    requester_capacity = models.CharField(_("hoedanigheid"), max_length=16, choices=RequesterCapacity.choices)
    co_requester_name = models.CharField(_("naam mede-verzoeker"), max_length=200, blank=True)
    identity_checked = models.BooleanField(_("identiteit gecontroleerd"), default=False)
    identity_check_method = models.CharField(
        _("hoe is de identiteit gecontroleerd"), max_length=16, choices=IdentityCheckMethod.choices
    )
    identity_check_note = models.CharField(_("toelichting identiteitscontrole"), max_length=200, blank=True)
    authority = models.CharField(_("bevoegdheid"), max_length=16, choices=Authority.choices)
    description = models.TextField(_("omschrijving van het verzoek"), blank=True)

    received_on = models.DateField(_("ontvangen op"))
    deadline = models.DateField(_("uiterste datum"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED, db_index=True
    )
    # the signals the correction or objection is about; ids only, the signals may be destroyed
    signal_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_reason = models.TextField(_("motivering"), blank=True)
    completed_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    # the last step: how and when the citizen got the answer (recorded when the request is completed)
    answered_on = models.DateField(_("burger geantwoord op"), null=True, blank=True)
    answered_how = models.CharField(_("hoe geantwoord"), max_length=16, choices=AnswerMethod.choices, blank=True)
    answered_note = models.CharField(_("toelichting antwoord"), max_length=200, blank=True)
    overdue_reminded_on = models.DateField(_("herinnering termijn verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verzoek")
        verbose_name_plural = _("verzoeken")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(name="rights_request_identity_checked", condition=models.Q(identity_checked=True)),
            models.CheckConstraint(
                name="rights_request_deadline_after_received", condition=models.Q(deadline__gte=models.F("received_on"))
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"VZ-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_decided_kind(self) -> bool:
        return self.kind in DECIDED_KINDS

    def is_overdue(self, on) -> bool:
        return self.is_open and on > self.deadline


class AdviceChoice(models.TextChoices):
    REMOVE = "remove", _("Het signaal kan worden verwijderd of gecorrigeerd")
    KEEP = "keep", _("Het signaal moet blijven staan")


class AdviceTask(models.Model):
    """A reporting professional's task to advise on a correction or objection about their signal."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="advice_tasks")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_tasks")
    signal_id = models.BigIntegerField()
    signal_reference = models.CharField(_("signaal"), max_length=16)
    organisation_name = models.CharField(_("organisatie"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("advies uiterlijk op"))
    advice = models.CharField(_("advies"), max_length=8, choices=AdviceChoice.choices, blank=True)
    advice_text = models.TextField(_("toelichting"), blank=True)
    given_at = models.DateTimeField(_("advies gegeven op"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("adviesvraag")
        verbose_name_plural = _("adviesvragen")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "signal_id"], name="advice_task_once_per_signal"),
        ]

    def __str__(self):
        return f"{self.request.reference} / {self.signal_reference}"

    @property
    def is_open(self) -> bool:
        return self.given_at is None and self.request.status == RequestStatus.ADVICE_REQUESTED

    def is_overdue(self, on) -> bool:
        return self.is_open and on > self.due_on

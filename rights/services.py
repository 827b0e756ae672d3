"""Writes of citizens' requests: register, ask advice, give advice, decide, complete, log views, remind."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from audit import events as audit_events
from notifications.services import mail_with_link
from persons.brp import get_client
from persons.bsn import bsn_encrypt, bsn_normalise, bsn_pseudonym
from persons.exceptions import PersonLookupError
from persons.guards import lookup_rate_check
from regions.services import process_managers_notify
from signals.models import EndReason, Signal
from signals.services import signal_end, signals_locked

from .models import (
    DECIDED_KINDS,
    AdviceTask,
    RequestKind,
    RequestStatus,
    RightsRequest,
)
from .rules import age_on, exercise_authority
from .selectors import has_unborn_child, signals_of_youth, youth_by_pseudonym

logger = logging.getLogger(__name__)


def _notify(*, recipient, region, link_region=None, **message) -> None:
    """One outbox e-mail (notifications.services.mail_with_link: kind, subject, template, context, dedupe_key, path).

    The link points at the recipient's own region's host (a professional of another region is asked for
    advice too: on the asking region's host they have no role), the text names the region that asks.
    Context and subject never hold a BSN or a name.
    """
    link_region = link_region or _own_region(recipient) or region
    mail_with_link(recipients=[recipient], region=region, link_region=link_region, key_per_recipient=False, **message)


def _own_region(user):
    """The region of the user's first active role as a professional (None if they have none)."""
    membership = (
        Membership.objects.filter(user=user, role=Role.PROFESSIONAL, active=True)
        .select_related("organisation__region")
        .order_by("pk")
        .first()
    )
    return membership.organisation.region if membership is not None else None


def _brp_person(bsn: str):
    """The person from the BRP, or None when the BRP does not know them, cannot answer, or is not configured."""
    try:
        return get_client().person(bsn)
    except PersonLookupError:
        # registering a request never waits for the BRP: the age is then taken from the identity document
        logger.warning("BRP not available while registering a rights request; using the date given by staff")
        return None
    except ImproperlyConfigured:
        return None


def rights_request_register(
    *,
    actor,
    municipality,
    kind: str,
    bsn: str,
    requester_name: str,
    requester_capacity: str,
    identity_checked: bool,
    identity_check_method: str,
    received_on: datetime.date,
    identity_check_note: str = "",
    co_requester_name: str = "",
    description: str = "",
    birth_date: datetime.date | None = None,
    request=None,
) -> RightsRequest:
    """Register a request; the youth is looked up by BSN pseudonym and the look-up is logged.

    `birth_date` (from the checked identity document) is only used when the youth is not in the
    verwijsindex; otherwise the BRP date of birth kept with the youth decides the age rule.
    Raises BsnInvalid for a bad BSN, LookupRateLimited when the staff member registered requests about too
    many youths this hour, and ValidationError for a request that cannot be registered. Call it outside a
    transaction: the look-up stays logged when the request is then refused.
    """
    if not identity_checked:
        raise ValidationError(_("Controleer eerst de identiteit van de verzoeker."))
    if received_on > timezone.localdate():
        raise ValidationError(_("De datum van ontvangst kan niet in de toekomst liggen."))
    bsn = bsn_normalise(bsn)
    pseudonym = bsn_pseudonym(bsn)
    region = municipality.region
    # the answer tells whether the youth is in the verwijsindex: limited like every look-up (persons/guards.py)
    lookup_rate_check(
        actor=actor,
        request=request,
        pseudonym=pseudonym,
        limit=settings.RIGHTS_LOOKUP_LIMIT_PER_HOUR,
        region=region,
    )
    youth = youth_by_pseudonym(pseudonym=pseudonym)
    lives_in = youth.municipality_code if youth is not None else ""
    person = _brp_person(bsn) if youth is None else None
    if person is not None:
        # not in the verwijsindex: the BRP still tells the age and where the youth lives
        birth_date = person.birth_date if person.birth_date > datetime.date.min else birth_date
        lives_in = person.municipality_code
    # the look-up is logged in its own transaction: it stays logged when the request is then refused
    with transaction.atomic():
        audit_events.rights_youth_lookup(
            actor=actor,
            request=request,
            region_id=region.pk,
            youth_pseudonym=pseudonym,
            found=youth is not None,
            brp=person is not None,
            municipality=municipality.cbs_code,
        )
    if lives_in and lives_in != municipality.cbs_code:
        raise ValidationError(
            _(
                "Deze jeugdige woont volgens de BRP niet in uw gemeente. Verwijs de verzoeker naar de "
                "gemeente waar de jeugdige woont."
            )
        )
    with transaction.atomic():
        if youth is not None:
            birth_date = youth.birth_date
        age = age_on(birth_date, received_on) if birth_date else None
        rights_request = RightsRequest.objects.create(
            region=region,
            municipality=municipality,
            registered_by=actor,
            kind=kind,
            youth_pseudonym=pseudonym,
            bsn_encrypted=bsn_encrypt(bsn),
            # a pregnant woman is registered through a signal on her unborn child (docs/adr/0030-unborn-children.md)
            youth_registered=youth is not None or has_unborn_child(mother_pseudonym=pseudonym),
            youth_age=age,
            requester_name=requester_name,
            requester_capacity=requester_capacity,
            co_requester_name=co_requester_name,
            identity_checked=True,
            identity_check_method=identity_check_method,
            identity_check_note=identity_check_note,
            authority=exercise_authority(age=age, capacity=requester_capacity),
            description=description,
            received_on=received_on,
            deadline=received_on + datetime.timedelta(days=region.request_deadline_days),
        )
        audit_events.rights_request_registered(
            actor=actor,
            request=request,
            region_id=region.pk,
            youth_pseudonym=pseudonym,
            rights_request=rights_request.pk,
            kind=kind,
        )
    return rights_request


def rights_overview_record(*, rights_request: RightsRequest, actor, as_copy: bool, request=None) -> None:
    """Log that staff viewed the overview of a youth's data, or made the copy that is handed over."""
    with transaction.atomic():
        (audit_events.rights_copy_issued if as_copy else audit_events.rights_overview_viewed)(
            actor=actor,
            request=request,
            region_id=rights_request.region_id,
            youth_pseudonym=rights_request.youth_pseudonym,
            rights_request=rights_request.pk,
        )


def rights_request_complete(
    *,
    rights_request: RightsRequest,
    actor,
    answered_on: datetime.date | None = None,
    answered_how: str = "",
    answered_note: str = "",
    request=None,
) -> RightsRequest:
    """The last step: record how and when the citizen was answered, and close the request.

    An inzage or kopie request is closed by it; a correction or objection only after the process manager's
    decision (its status stays the decision). Cannot be done twice.
    """
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        raise ValidationError(_("De datum van het antwoord kan niet in de toekomst liggen."))
    with transaction.atomic():
        rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
        if rights_request.answered_on is not None or rights_request.status == RequestStatus.COMPLETED:
            raise ValidationError(_("Dit verzoek is al afgehandeld."))
        if rights_request.kind in DECIDED_KINDS:
            if rights_request.status not in (RequestStatus.UPHELD, RequestStatus.REJECTED):
                raise ValidationError(
                    _("Een verzoek om correctie of bezwaar wordt pas afgehandeld na het besluit van de procesmanager.")
                )
        else:
            rights_request.status = RequestStatus.COMPLETED
        if answered_on < rights_request.received_on:
            raise ValidationError(_("De datum van het antwoord ligt vóór de datum van ontvangst."))
        rights_request.completed_at = timezone.now()
        rights_request.answered_on = answered_on
        rights_request.answered_how = answered_how
        rights_request.answered_note = answered_note
        rights_request.save(update_fields=["status", "completed_at", "answered_on", "answered_how", "answered_note"])
        audit_events.rights_request_completed(
            actor=actor,
            request=request,
            region_id=rights_request.region_id,
            youth_pseudonym=rights_request.youth_pseudonym,
            rights_request=rights_request.pk,
            answered_how=answered_how,
        )
    return rights_request


def rights_advice_request(*, rights_request: RightsRequest, signal_ids, actor, request=None) -> list[AdviceTask]:
    """Ask the professional of each chosen signal for advice within the region's advice term (e-mail + task)."""
    with transaction.atomic():
        rights_request = RightsRequest.objects.select_for_update().select_related("region").get(pk=rights_request.pk)
        if rights_request.kind not in DECIDED_KINDS:
            raise ValidationError(_("Advies wordt alleen gevraagd bij correctie of bezwaar."))
        if rights_request.status != RequestStatus.RECEIVED:
            raise ValidationError(_("Voor dit verzoek is al advies gevraagd of het is al afgehandeld."))
        wanted = {int(pk) for pk in signal_ids}
        signals = [s for s in signals_of_youth(youth_pseudonym=rights_request.youth_pseudonym) if s.pk in wanted]
        if not signals:
            raise ValidationError(_("Kies ten minste één signaal waarover het verzoek gaat."))
        region = rights_request.region
        due_on = timezone.localdate() + datetime.timedelta(days=region.advice_days)
        tasks = []
        for signal in signals:
            task = AdviceTask.objects.create(
                request=rights_request,
                professional=signal.professional,
                signal_id=signal.pk,
                signal_reference=signal.reference,
                organisation_name=signal.organisation.name,
                due_on=due_on,
            )
            tasks.append(task)
            audit_events.rights_advice_requested(
                actor=actor,
                request=request,
                region_id=region.pk,
                youth_pseudonym=rights_request.youth_pseudonym,
                signal_id=signal.pk,
                rights_request=rights_request.pk,
            )
            _notify(
                recipient=signal.professional,
                region=region,
                kind="rights_advice_requested",
                subject=_("Verwijsindex: uw advies gevraagd over signaal %(reference)s")
                % {"reference": signal.reference},
                template="rights/email/advice_requested",
                context={
                    "signal_reference": signal.reference,
                    "request_reference": rights_request.reference,
                    "kind": rights_request.get_kind_display(),
                    "due_on": due_on.isoformat(),
                },
                dedupe_key=f"rights-advice-requested:{task.pk}",
                path=reverse("rights:advice_detail", args=[task.pk]),
                link_region=signal.organisation.region,
            )
        rights_request.signal_ids = [s.pk for s in signals]
        rights_request.status = RequestStatus.ADVICE_REQUESTED
        rights_request.save(update_fields=["signal_ids", "status"])
    return tasks


def advice_task_give(*, task: AdviceTask, actor, advice: str, advice_text: str, request=None) -> AdviceTask:
    """The professional's advice on their own task; it can be given once, while the request awaits a decision."""
    with transaction.atomic():
        task = AdviceTask.objects.select_for_update().select_related("request").get(pk=task.pk)
        if task.professional_id != actor.pk:
            raise PermissionDenied
        if not task.is_open:
            raise ValidationError(_("Op deze vraag is al advies gegeven of er is al besloten."))
        task.advice = advice
        task.advice_text = advice_text
        task.given_at = timezone.now()
        task.save(update_fields=["advice", "advice_text", "given_at"])
        audit_events.rights_advice_given(
            actor=actor,
            request=request,
            region_id=task.request.region_id,
            youth_pseudonym=task.request.youth_pseudonym,
            signal_id=task.signal_id,
            rights_request=task.request_id,
            advice=advice,
        )
    return task


def rights_request_decide(
    *, rights_request: RightsRequest, actor, upheld: bool, reason: str, request=None
) -> RightsRequest:
    """A process manager's decision with a written reason. Upheld: the signals concerned are destroyed
    (signal_end with OBJECTION_UPHELD or CORRECTION, not archived) and their professionals are told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Schrijf op waarom u zo besluit."))
    with transaction.atomic():
        rights_request = RightsRequest.objects.select_for_update().select_related("region").get(pk=rights_request.pk)
        if rights_request.kind not in DECIDED_KINDS:
            raise ValidationError(_("Over een verzoek om inzage of kopie wordt niet besloten."))
        if rights_request.status != RequestStatus.ADVICE_REQUESTED:
            raise ValidationError(_("Vraag eerst advies aan de professional(s) voordat u besluit."))
        region = rights_request.region
        told = []
        if upheld:
            end_reason = (
                EndReason.CORRECTION if rights_request.kind == RequestKind.CORRECTION else EndReason.OBJECTION_UPHELD
            )
            signals = signals_locked(
                Signal.objects.filter(pk__in=rights_request.signal_ids, youth__pseudonym=rights_request.youth_pseudonym)
            )
            for signal in signals:
                told.append((signal.professional, signal.reference, signal.pk))
                signal_end(signal=signal, reason=end_reason, actor=actor, request=request)
        rights_request.status = RequestStatus.UPHELD if upheld else RequestStatus.REJECTED
        rights_request.decided_by = actor
        rights_request.decided_at = timezone.now()
        rights_request.decision_reason = reason
        rights_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_events.rights_request_decided(
            actor=actor,
            request=request,
            region_id=region.pk,
            youth_pseudonym=rights_request.youth_pseudonym,
            rights_request=rights_request.pk,
            upheld=upheld,
            signals_destroyed=[pk for _professional, _reference, pk in told],
        )
        for professional, reference, signal_pk in told:
            _notify(
                recipient=professional,
                region=region,
                kind="rights_decision_upheld",
                subject=_("Verwijsindex: signaal %(reference)s is verwijderd") % {"reference": reference},
                template="rights/email/decision_upheld",
                context={
                    "signal_reference": reference,
                    "request_reference": rights_request.reference,
                    "kind": rights_request.get_kind_display(),
                },
                dedupe_key=f"rights-decision-upheld:{rights_request.pk}:{signal_pk}",
                path=reverse("rights:advice_list"),
            )
    return rights_request


def rights_overdue_remind(*, as_of: datetime.date) -> tuple[int, int]:
    """Remind once about each open request past its deadline (process managers + the staff member who
    registered it) and each open advice task past its due date (the professional). Safe to run again."""
    overdue_requests = (
        RightsRequest.objects.filter(deadline__lt=as_of, overdue_reminded_on__isnull=True)
        .exclude(status__in=[RequestStatus.COMPLETED, RequestStatus.UPHELD, RequestStatus.REJECTED])
        .select_related("region", "registered_by")
    )
    overdue_tasks = AdviceTask.objects.filter(
        due_on__lt=as_of,
        given_at__isnull=True,
        reminded_on__isnull=True,
        request__status=RequestStatus.ADVICE_REQUESTED,
    ).select_related("request__region", "professional")
    requests_reminded = _remind_once_each(
        overdue_requests,
        reminded_on="overdue_reminded_on",
        as_of=as_of,
        remind=_request_overdue_remind,
        logged=lambda rights_request: audit_events.rights_request_overdue_reminded(
            region_id=rights_request.region_id, rights_request=rights_request.pk
        ),
    )
    tasks_reminded = _remind_once_each(
        overdue_tasks, reminded_on="reminded_on", as_of=as_of, remind=_task_overdue_remind
    )
    return requests_reminded, tasks_reminded


def _remind_once_each(due, *, reminded_on: str, as_of: datetime.date, remind, logged=None) -> int:
    """Remind about each row of `due` that is still unreminded when locked (one that another run holds is left
    to it), note the day in `reminded_on`, then log it; each in its own transaction. Returns how many."""
    reminded = 0
    for row in due:
        with transaction.atomic():
            locked = (
                type(row)
                .objects.select_for_update(skip_locked=True)
                .filter(pk=row.pk, **{f"{reminded_on}__isnull": True})
                .first()
            )
            if locked is None:
                continue
            remind(row)
            setattr(locked, reminded_on, as_of)
            locked.save(update_fields=[reminded_on])
            if logged is not None:
                logged(row)
            reminded += 1
    return reminded


def _request_overdue_remind(rights_request: RightsRequest) -> None:
    process_managers_notify(
        region=rights_request.region,
        also=[rights_request.registered_by],
        kind="rights_request_overdue",
        subject=_("Verwijsindex: verzoek %(reference)s is over de termijn") % {"reference": rights_request.reference},
        template="rights/email/request_overdue",
        context={
            "request_reference": rights_request.reference,
            "kind": rights_request.get_kind_display(),
            "deadline": rights_request.deadline.isoformat(),
        },
        path=reverse("rights:request_detail", args=[rights_request.pk]),
        dedupe_key=f"rights-request-overdue:{rights_request.pk}",
    )


def _task_overdue_remind(task: AdviceTask) -> None:
    _notify(
        recipient=task.professional,
        region=task.request.region,
        kind="rights_advice_overdue",
        subject=_("Verwijsindex: herinnering, uw advies over signaal %(reference)s")
        % {"reference": task.signal_reference},
        template="rights/email/advice_overdue",
        context={
            "signal_reference": task.signal_reference,
            "request_reference": task.request.reference,
            "due_on": task.due_on.isoformat(),
        },
        dedupe_key=f"rights-advice-overdue:{task.pk}",
        path=reverse("rights:advice_detail", args=[task.pk]),
    )

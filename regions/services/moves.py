"""Move notices: a youth with active signals moved into this region; its process managers are told."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events

from .. import hooks
from ..models import MoveNotice, Municipality
from .mail import process_managers_notify


def move_notice_record(*, youth, old_municipality_code: str, new_municipality_code: str) -> MoveNotice | None:
    """When a youth with active signals moved into another region, note it for that region's process managers.

    Runs inside the refresh's transaction; the e-mail (without personal data) goes through the outbox.
    """
    if not new_municipality_code or new_municipality_code == old_municipality_code:
        return None
    new = Municipality.objects.filter(cbs_code=new_municipality_code).select_related("region").first()
    if new is None:
        return None
    old = Municipality.objects.filter(cbs_code=old_municipality_code).first() if old_municipality_code else None
    if old is not None and old.region_id == new.region_id:
        return None
    signals = [signal for found in hooks.youth_active_signals.send(youth) for signal in found]
    if not signals:
        return None
    with transaction.atomic():
        notice = MoveNotice.objects.create(
            region=new.region,
            from_municipality_code=old_municipality_code or "",
            to_municipality_code=new_municipality_code,
            signal_references=[s.reference for s in signals],
            organisation_names=sorted({s.organisation.name for s in signals}),
        )
        audit_events.move_notice_created(region_id=new.region_id, notice=notice.pk, signals=len(signals))
        _move_notice_mail(notice)
    return notice


def _move_notice_mail(notice: MoveNotice) -> None:
    process_managers_notify(
        region=notice.region,
        kind="move_notice",
        subject=_("Verhuismelding in %(region)s") % {"region": notice.region.name},
        template="regions/email/move_notice",
        context={"notice_reference": notice.reference},
        path=reverse("regions:move_notice_list"),
        dedupe_key=f"move_notice:{notice.pk}",
    )


@transaction.atomic
def move_notice_handle(*, notice: MoveNotice, actor, request=None) -> MoveNotice:
    notice = MoveNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.handled_at is None:
        notice.handled_at = timezone.now()
        notice.handled_by = actor
        notice.save(update_fields=["handled_at", "handled_by"])
        audit_events.move_notice_handled(actor=actor, request=request, region_id=notice.region_id, notice=notice.pk)
    return notice

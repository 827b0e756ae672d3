"""Writes of a region's organisations: create, change, deactivate, reactivate, signalling profile, invitations."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import user_invite
from audit import events as audit_events

from .. import hooks
from ..exceptions import RegionAdminError
from ..models import Organisation, Region
from ..selectors import active_signal_count

ORGANISATION_FIELDS = ("name", "code", "sector", "subtype", "convenant_date", "email", "phone")


@transaction.atomic
def organisation_create(*, region: Region, data: dict, actor, request=None) -> Organisation:
    if Organisation.objects.filter(code=data["code"]).exists():
        raise RegionAdminError(_("Deze code is al in gebruik. Kies een andere code."), field="code")
    organisation = Organisation.objects.create(region=region, **{f: data[f] for f in ORGANISATION_FIELDS if f in data})
    audit_events.organisation_created(actor=actor, request=request, region_id=region.pk, organisation=organisation.pk)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict, actor, request=None) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "code" in data and Organisation.objects.filter(code=data["code"]).exclude(pk=organisation.pk).exists():
        raise RegionAdminError(_("Deze code is al in gebruik. Kies een andere code."), field="code")
    changed = [f for f in ORGANISATION_FIELDS if f in data and getattr(organisation, f) != data[f]]
    for field in changed:
        setattr(organisation, field, data[field])
    organisation.save(update_fields=changed or None)
    audit_events.organisation_changed(
        actor=actor,
        request=request,
        region_id=organisation.region_id,
        organisation=organisation.pk,
        fields=changed,
    )
    return organisation


@transaction.atomic
def organisation_deactivate(
    *, organisation: Organisation, end_active_signals: bool = False, actor, request=None
) -> int:
    """Stop an organisation taking part: its roles are switched off and it can place no more signals.

    Active signals are first handed to colleagues by the organisation's coordinator (signals' transfer
    pages). Whatever is still active when the organisation stops is ended only when the process manager
    confirms it (`end_active_signals`): each ends as "concern gone", so it is archived and the history
    stays visible to later signallers. Returns the number of signals ended.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.active:
        raise RegionAdminError(_("Deze organisatie is al gedeactiveerd."))
    count = active_signal_count(organisation=organisation)
    if count and not end_active_signals:
        raise RegionAdminError(
            _(
                "Deze organisatie heeft nog %(count)s actieve signalen. Laat de coördinator ze overdragen, "
                "of bevestig dat ze worden beëindigd."
            )
            % {"count": count},
            field="end_active_signals",
        )
    ended = sum(hooks.organisation_deactivating.send(organisation=organisation, actor=actor, request=request))
    organisation.active = False
    organisation.save(update_fields=["active"])
    Membership.objects.filter(organisation=organisation, active=True).update(active=False)
    audit_events.organisation_deactivated(
        actor=actor,
        request=request,
        region_id=organisation.region_id,
        organisation=organisation.pk,
        signals_ended=ended,
    )
    return ended


@transaction.atomic
def organisation_reactivate(*, organisation: Organisation, actor, request=None) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.active = True
    organisation.save(update_fields=["active"])
    audit_events.organisation_reactivated(
        actor=actor,
        request=request,
        region_id=organisation.region_id,
        organisation=organisation.pk,
    )
    return organisation


@transaction.atomic
def signalling_profile_update(*, organisation: Organisation, text: str, actor, request=None) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.signalling_profile = text.strip()
    organisation.save(update_fields=["signalling_profile"])
    audit_events.signalling_profile_changed(
        actor=actor,
        request=request,
        region_id=organisation.region_id,
        organisation=organisation.pk,
    )
    return organisation


def organisation_member_invite(*, organisation: Organisation, role, email: str, full_name: str, invited_by):
    """Invite a coordinator or professional of this organisation (accounts' invitation e-mail)."""
    if not organisation.active:
        raise RegionAdminError(_("Deze organisatie is gedeactiveerd; er kunnen geen mensen meer worden uitgenodigd."))
    return user_invite(email=email, full_name=full_name, role=role, organisation=organisation, invited_by=invited_by)

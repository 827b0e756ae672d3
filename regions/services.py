"""Writes of a region's governance: organisations, municipalities, rules, addresses, settings, look, notices."""

import re

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from audit.services import log_event
from notifications.services import mail_with_link
from persons.bsn import bag_pseudonym

from . import hooks
from .bag import BAG_ID, BagUnavailable, bag_id_for_address
from .models import (
    SECTOR_SUBTYPES,
    CoordinatorRule,
    InstitutionalAddress,
    MoveNotice,
    Municipality,
    Organisation,
    Region,
    Sector,
    Subtype,
)
from .selectors import active_signal_count, process_managers_of_region

THEME_PRIMARY = "vi-color-primary"
THEME_CONTRAST = "vi-color-primary-contrast"
THEME_FONT = "vi-font-family"


class RegionAdminError(Exception):
    """A refused change; `.message` is the Dutch text shown to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- organisations ---------------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "code", "sector", "subtype", "convenant_date", "email", "phone")


@transaction.atomic
def organisation_create(*, region: Region, data: dict, actor, request=None) -> Organisation:
    if Organisation.objects.filter(code=data["code"]).exists():
        raise RegionAdminError(_("Deze code is al in gebruik. Kies een andere code."), field="code")
    organisation = Organisation.objects.create(region=region, **{f: data[f] for f in ORGANISATION_FIELDS if f in data})
    log_event(
        action="organisation_created", actor=actor, request=request, region_id=region.pk, organisation=organisation.pk
    )
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
    log_event(
        action="organisation_changed",
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
    log_event(
        action="organisation_deactivated",
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
    log_event(
        action="organisation_reactivated",
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
    log_event(
        action="signalling_profile_changed",
        actor=actor,
        request=request,
        region_id=organisation.region_id,
        organisation=organisation.pk,
    )
    return organisation


# --- people: invitations ---------------------------------------------------------------------


def organisation_member_invite(*, organisation: Organisation, role, email: str, full_name: str, invited_by):
    """Invite a coordinator or professional of this organisation (accounts' invitation e-mail)."""
    from accounts.services import user_invite

    if not organisation.active:
        raise RegionAdminError(_("Deze organisatie is gedeactiveerd; er kunnen geen mensen meer worden uitgenodigd."))
    return user_invite(email=email, full_name=full_name, role=role, organisation=organisation, invited_by=invited_by)


# --- municipalities --------------------------------------------------------------------------


@transaction.atomic
def municipality_create(*, region: Region, cbs_code: str, name: str, actor, request=None) -> Municipality:
    existing = Municipality.objects.filter(cbs_code=cbs_code).select_related("region").first()
    if existing is not None:
        if existing.region_id == region.pk:
            raise RegionAdminError(_("Deze gemeente hoort al bij uw regio."), field="cbs_code")
        raise RegionAdminError(
            _("Gemeente %(code)s hoort bij een andere regio. Neem contact op met die regio of de systeembeheerder.")
            % {"code": cbs_code},
            field="cbs_code",
        )
    municipality = Municipality.objects.create(region=region, cbs_code=cbs_code, name=name)
    log_event(action="municipality_added", actor=actor, request=request, region_id=region.pk, cbs_code=cbs_code)
    return municipality


@transaction.atomic
def municipality_update(
    *,
    municipality: Municipality,
    name: str,
    actor,
    request=None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
    contact_url: str | None = None,
) -> Municipality:
    municipality.name = name
    fields = ["name"]
    for field, value in (
        ("contact_email", contact_email),
        ("contact_phone", contact_phone),
        ("contact_url", contact_url),
    ):
        if value is not None:
            setattr(municipality, field, value)
            fields.append(field)
    municipality.save(update_fields=fields)
    log_event(
        action="municipality_changed",
        actor=actor,
        request=request,
        region_id=municipality.region_id,
        cbs_code=municipality.cbs_code,
    )
    return municipality


# --- match coordinator rules -----------------------------------------------------------------


def _rules_locked(region: Region) -> list[CoordinatorRule]:
    return list(CoordinatorRule.objects.select_for_update().filter(region=region).order_by("position", "id"))


def _renumber(rules: list[CoordinatorRule]) -> None:
    # positions are unique per region and the constraint is checked per row, so move every rule out of
    # the way first and then into its place
    offset = 1000
    CoordinatorRule.objects.filter(pk__in=[r.pk for r in rules]).update(position=F("position") + offset)
    for index, rule in enumerate(rules, start=1):
        CoordinatorRule.objects.filter(pk=rule.pk).update(position=index)


@transaction.atomic
def coordinator_rule_add(*, region: Region, sector: str, subtype: str = "", actor, request=None) -> CoordinatorRule:
    if subtype and subtype not in SECTOR_SUBTYPES.get(sector, ()):
        raise RegionAdminError(
            _("%(subtype)s hoort niet bij de sector %(sector)s; kies een soort die bij de sector past.")
            % {"subtype": Subtype(subtype).label, "sector": Sector(sector).label}
        )
    rules = _rules_locked(region)
    if any(r.sector == sector and r.subtype == (subtype or "") for r in rules):
        raise RegionAdminError(_("Deze regel staat al in de lijst."))
    position = (max((r.position for r in rules), default=0)) + 1
    rule = CoordinatorRule.objects.create(region=region, position=position, sector=sector, subtype=subtype or "")
    log_event(
        action="coordinator_rule_added",
        actor=actor,
        request=request,
        region_id=region.pk,
        sector=sector,
        subtype=subtype,
    )
    return rule


@transaction.atomic
def coordinator_rule_remove(*, rule: CoordinatorRule, actor, request=None) -> None:
    region = rule.region
    rules = [r for r in _rules_locked(region) if r.pk != rule.pk]
    CoordinatorRule.objects.filter(pk=rule.pk).delete()
    _renumber(rules)
    log_event(
        action="coordinator_rule_removed",
        actor=actor,
        request=request,
        region_id=region.pk,
        sector=rule.sector,
        subtype=rule.subtype,
    )


@transaction.atomic
def coordinator_rule_move(*, rule: CoordinatorRule, direction: str, actor, request=None) -> None:
    """Move a rule one place up ("up") or down ("down"); at either end nothing changes."""
    rules = _rules_locked(rule.region)
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    _renumber(rules)
    log_event(
        action="coordinator_rule_moved",
        actor=actor,
        request=request,
        region_id=rule.region_id,
        rule=rule.pk,
        direction=direction,
    )


# --- institutional addresses -----------------------------------------------------------------

POSTCODE = re.compile(r"^[1-9]\d{3}[A-Z]{2}$")


@transaction.atomic
def institutional_address_add(
    *,
    region: Region,
    postcode: str,
    house_number: int,
    house_letter: str = "",
    house_number_addition: str = "",
    description: str,
    bag_id: str = "",
    actor,
    request=None,
) -> InstitutionalAddress:
    """Add an address whose residents never make an address match. Only the BAG id's pseudonym is stored.

    The BAG id is looked up from the address (BAG API or the embedded register) unless it is given.
    """
    bag_id = (bag_id or "").strip()
    if not bag_id:
        try:
            bag_id = bag_id_for_address(
                postcode=postcode, house_number=house_number, house_letter=house_letter, addition=house_number_addition
            )
        except BagUnavailable:
            raise RegionAdminError(
                _("Het BAG-register is nu niet bereikbaar. Probeer het later opnieuw of vul het BAG-id in."),
                field="bag_id",
            ) from None
        if not bag_id:
            raise RegionAdminError(
                _("Bij dit adres is geen woning in de BAG gevonden. Controleer het adres of vul het BAG-id in."),
                field="bag_id",
            )
    if not BAG_ID.match(bag_id):
        raise RegionAdminError(_("Een BAG-id bestaat uit 16 cijfers."), field="bag_id")
    pseudonym = bag_pseudonym(bag_id)
    if InstitutionalAddress.objects.filter(region=region, bag_pseudonym=pseudonym).exists():
        raise RegionAdminError(_("Dit adres staat al op de lijst van instellingsadressen."))
    address = InstitutionalAddress.objects.create(
        region=region,
        bag_pseudonym=pseudonym,
        postcode=postcode,
        house_number=house_number,
        house_letter=house_letter,
        house_number_addition=house_number_addition,
        description=description,
    )
    log_event(
        action="institutional_address_added", actor=actor, request=request, region_id=region.pk, address=address.pk
    )
    return address


@transaction.atomic
def institutional_address_remove(*, address: InstitutionalAddress, actor, request=None) -> None:
    log_event(
        action="institutional_address_removed",
        actor=actor,
        request=request,
        region_id=address.region_id,
        address=address.pk,
    )
    address.delete()


# --- region settings and look ----------------------------------------------------------------

REGION_SETTINGS = (
    "max_age",
    "active_years",
    "archive_years",
    "reminder_weeks",
    "informing_postponed_weeks",
    "internal_matches_reported",
    "address_matches",
    "unborn_signals_allowed",
    "unborn_overdue_weeks",
    "unborn_end_weeks",
    "followup_days",
    "request_deadline_days",
    "advice_days",
)


@transaction.atomic
def region_settings_update(*, region: Region, data: dict, actor, request=None) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    changed = {f: data[f] for f in REGION_SETTINGS if f in data and getattr(region, f) != data[f]}
    for field, value in changed.items():
        setattr(region, field, value)
    if changed:
        region.save(update_fields=list(changed))
    log_event(action="region_settings_changed", actor=actor, request=request, region_id=region.pk, **changed)
    return region


@transaction.atomic
def region_look_update(
    *,
    region: Region,
    name: str,
    primary_colour: str,
    contrast_colour: str,
    font: str,
    logo=None,
    remove_logo: bool = False,
    actor,
    request=None,
) -> Region:
    """Name, logo and design tokens. Values are validated by the form; the theme stylesheet escapes again."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    region.name = name
    region.theme_tokens = {
        **region.theme_tokens,
        THEME_PRIMARY: primary_colour,
        THEME_CONTRAST: contrast_colour,
        THEME_FONT: font,
    }
    if remove_logo and region.logo:
        region.logo.delete(save=False)
        region.logo = ""
    if logo is not None:
        if region.logo:
            region.logo.delete(save=False)
        region.logo.save(f"{region.slug}-{timezone.now():%Y%m%d%H%M%S}.{logo.image_format}", logo, save=False)
    region.save()
    log_event(action="region_look_changed", actor=actor, request=request, region_id=region.pk)
    return region


# --- move notices ----------------------------------------------------------------------------


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
        log_event(action="move_notice_created", region_id=new.region_id, notice=notice.pk, signals=len(signals))
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


def process_managers_notify(
    *,
    region: Region,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    dedupe_key: str,
    path: str | None = None,
    also=(),
) -> None:
    """E-mail the region's active process managers (and the active people in `also`) once each.

    Each outbox row is keyed `<dedupe_key>:<user id>`, so a second call sends nobody anything twice.
    The context gets the region's name and, given a `path`, `url`: that page on the region's own host.
    The caller keeps BSNs and youths' names out of subject and context.
    """
    recipients = {user.pk: user for user in process_managers_of_region(region=region)}
    for user in also:
        if user is not None and user.is_active:
            recipients.setdefault(user.pk, user)
    mail_with_link(
        recipients=recipients.values(),
        region=region,
        kind=kind,
        subject=subject,
        template=template,
        context=context,
        dedupe_key=dedupe_key,
        path=path,
    )


def process_managers_told(*, region, **message) -> None:
    """The handler of core.notices: `region` None tells the process managers of every region."""
    for each in [region] if region is not None else Region.objects.order_by("pk"):
        process_managers_notify(region=each, **message)


@transaction.atomic
def move_notice_handle(*, notice: MoveNotice, actor, request=None) -> MoveNotice:
    notice = MoveNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.handled_at is None:
        notice.handled_at = timezone.now()
        notice.handled_by = actor
        notice.save(update_fields=["handled_at", "handled_by"])
        log_event(
            action="move_notice_handled", actor=actor, request=request, region_id=notice.region_id, notice=notice.pk
        )
    return notice

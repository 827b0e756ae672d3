"""Writes of a region's governance: municipalities, coordinator rules, institutional addresses, settings, look."""

import re

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from persons.bsn import bag_pseudonym

from ..bag import BAG_ID, BagUnavailable, bag_id_for_address
from ..exceptions import RegionAdminError
from ..models import SECTOR_SUBTYPES, CoordinatorRule, InstitutionalAddress, Municipality, Region, Sector, Subtype
from ..parameters import REGION_SETTINGS

THEME_PRIMARY = "vi-color-primary"


THEME_CONTRAST = "vi-color-primary-contrast"


THEME_FONT = "vi-font-family"


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
    audit_events.municipality_added(actor=actor, request=request, region_id=region.pk, cbs_code=cbs_code)
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
    audit_events.municipality_changed(
        actor=actor,
        request=request,
        region_id=municipality.region_id,
        cbs_code=municipality.cbs_code,
    )
    return municipality


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
    if subtype and subtype not in SECTOR_SUBTYPES.get(Sector(sector), set()):
        raise RegionAdminError(
            _("%(subtype)s hoort niet bij de sector %(sector)s; kies een soort die bij de sector past.")
            % {"subtype": Subtype(subtype).label, "sector": Sector(sector).label}
        )
    rules = _rules_locked(region)
    if any(r.sector == sector and r.subtype == (subtype or "") for r in rules):
        raise RegionAdminError(_("Deze regel staat al in de lijst."))
    position = (max((r.position for r in rules), default=0)) + 1
    rule = CoordinatorRule.objects.create(region=region, position=position, sector=sector, subtype=subtype or "")
    audit_events.coordinator_rule_added(
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
    audit_events.coordinator_rule_removed(
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
    audit_events.coordinator_rule_moved(
        actor=actor,
        request=request,
        region_id=rule.region_id,
        rule=rule.pk,
        direction=direction,
    )


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
            bag_id = (
                bag_id_for_address(
                    postcode=postcode,
                    house_number=house_number,
                    house_letter=house_letter,
                    addition=house_number_addition,
                )
                or ""
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
    audit_events.institutional_address_added(actor=actor, request=request, region_id=region.pk, address=address.pk)
    return address


@transaction.atomic
def institutional_address_remove(*, address: InstitutionalAddress, actor, request=None) -> None:
    audit_events.institutional_address_removed(
        actor=actor,
        request=request,
        region_id=address.region_id,
        address=address.pk,
    )
    address.delete()


@transaction.atomic
def region_settings_update(*, region: Region, data: dict, actor, request=None) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    changed = {f: data[f] for f in REGION_SETTINGS if f in data and getattr(region, f) != data[f]}
    # the values before, so the logbook shows from what to what (signals follow a change from the next run)
    previous = {f: getattr(region, f) for f in changed}
    for field, value in changed.items():
        setattr(region, field, value)
    if changed:
        region.save(update_fields=list(changed))
    audit_events.region_settings_changed(
        actor=actor, request=request, region_id=region.pk, previous=previous, **changed
    )
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
    audit_events.region_look_changed(actor=actor, request=request, region_id=region.pk)
    return region

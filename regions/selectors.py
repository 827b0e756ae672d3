"""Reads of regions and organisations, always scoped to the region or organisation the user acts in."""

import copy
import time
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import Invitation, Membership, Role, User
from core.links import region_host  # noqa: F401 - its old home; new code imports core.links

from . import hooks
from .models import CoordinatorRule, InstitutionalAddress, MoveNotice, Municipality, Organisation, Region, Sector
from .parameters import region_periods

# Every request looks up its region by host name, and regions change seldom: each process keeps the regions it
# found for HOST_CACHE_SECONDS. A change made in this process clears it at once (regions.apps); another process
# sees the change within HOST_CACHE_SECONDS. Only hosts that name a region are kept, so Host headers that name
# none cannot fill the memory.
HOST_CACHE_SECONDS = 30
_regions_by_host: dict[str, tuple[float, Region]] = {}


def region_by_host(host: str) -> Region | None:
    """The region served on this host name: a listed host name, or `<slug>.localhost` in development.

    A copy for the caller, so that changing it never changes what the next request gets.
    """
    host = host.lower().rstrip(".")
    kept = _regions_by_host.get(host)
    if kept is not None and kept[0] > time.monotonic():
        return copy.copy(kept[1])
    query = Q(hostnames__contains=[host])
    if host.endswith(".localhost"):
        query |= Q(slug=host.removesuffix(".localhost"))
    region = Region.objects.filter(query).first()
    if region is not None:
        _regions_by_host[host] = (time.monotonic() + HOST_CACHE_SECONDS, copy.copy(region))
    return region


def region_hosts_forget(**kwargs) -> None:
    """Forget the regions kept by host name (a region was saved or deleted)."""
    _regions_by_host.clear()


# --- process managers: everything is scoped to the host's region --------------------------------


def process_managers_of_region(*, region: Region):
    """The active people with an active process-manager role in the region, by id."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__region=region,
            memberships__role=Role.PROCESS_MANAGER,
            memberships__active=True,
        )
        .distinct()
        .order_by("pk")
    )


def organisations_of_region(*, region: Region) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(region=region)
        .annotate(
            professional_count=Count(
                "memberships", filter=Q(memberships__role=Role.PROFESSIONAL, memberships__active=True), distinct=True
            ),
            coordinator_count=Count(
                "memberships",
                filter=Q(memberships__role=Role.ORGANISATION_COORDINATOR, memberships__active=True),
                distinct=True,
            ),
        )
        .order_by("-active", "name")
    )


def organisation_of_region(*, region: Region, pk: int) -> Organisation:
    """An organisation of this region; any other id is a 404 (no hint that it exists elsewhere)."""
    return get_object_or_404(Organisation, pk=pk, region=region)


def active_signal_count(*, organisation: Organisation) -> int:
    return sum(sum(counts.values()) for counts in hooks.active_signals_counted.send(organisation))


def municipalities_of_region(*, region: Region) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region=region).order_by("name")


def municipality_of_region(*, region: Region, pk: int) -> Municipality:
    return get_object_or_404(Municipality, pk=pk, region=region)


def coordinator_rules_of_region(*, region: Region) -> QuerySet[CoordinatorRule]:
    return CoordinatorRule.objects.filter(region=region).order_by("position", "id")


def coordinator_rule_of_region(*, region: Region, pk: int) -> CoordinatorRule:
    return get_object_or_404(CoordinatorRule, pk=pk, region=region)


def institutional_addresses_of_region(*, region: Region) -> QuerySet[InstitutionalAddress]:
    return InstitutionalAddress.objects.filter(region=region).order_by("postcode", "house_number", "house_letter")


def institutional_address_of_region(*, region: Region, pk: int) -> InstitutionalAddress:
    return get_object_or_404(InstitutionalAddress, pk=pk, region=region)


def move_notices_of_region(*, region: Region) -> QuerySet[MoveNotice]:
    return MoveNotice.objects.filter(region=region).select_related("handled_by").order_by("-created_at", "-id")


def move_notice_of_region(*, region: Region, pk: int) -> MoveNotice:
    return get_object_or_404(MoveNotice, pk=pk, region=region)


def municipality_names(*, codes) -> dict[str, str]:
    return dict(Municipality.objects.filter(cbs_code__in=set(codes)).values_list("cbs_code", "name"))


# the BRP's "gemeente van inschrijving" for the Registratie Niet-ingezetenen: emigrated, or never lived here
RNI_CODE = "1999"


@dataclass(frozen=True)
class MunicipalityLabel:
    """A municipality in words (never its CBS code), with a note where the words need one."""

    name: str
    note: str = ""

    def __str__(self) -> str:
        return self.name


def municipality_labels(*, codes, brp_names: dict[str, str] | None = None) -> dict[str, MunicipalityLabel]:
    """Each code as words: the municipality's name, "buitenland / RNI" for 1999, or that it is not served here.

    `brp_names` are the BRP's own names of codes (a youth's `municipality_name`): a municipality outside the
    served regions is then named, with a note, rather than left anonymous.
    """
    names = municipality_names(codes=[code for code in codes if code])
    labels = {}
    for code in set(codes):
        if code in names:
            labels[code] = MunicipalityLabel(names[code])
        elif code == RNI_CODE:
            labels[code] = MunicipalityLabel(
                _("buitenland / RNI"),
                _(
                    "Ingeschreven in de Registratie Niet-ingezetenen: de jeugdige woont in het buitenland of heeft "
                    "geen woonadres in Nederland."
                ),
            )
        elif code and brp_names and brp_names.get(code):
            labels[code] = MunicipalityLabel(
                brp_names[code], _("Deze gemeente hoort niet bij een regio die op deze verwijsindex is aangesloten.")
            )
        elif code:
            labels[code] = MunicipalityLabel(_("een gemeente buiten de aangesloten regio's"))
        else:
            labels[code] = MunicipalityLabel(_("onbekend"))
    return labels


def municipality_label(code: str, brp_name: str = "") -> MunicipalityLabel:
    return municipality_labels(codes=[code], brp_names={code: brp_name} if brp_name else None)[code]


# --- organisation coordinators: scoped to their own organisation -------------------------------


def organisation_members(*, organisation: Organisation):
    """The organisation's professionals and coordinators with their number of active signals.

    A role offered to an existing account and not yet accepted is left out: the page must not show whose
    account an invited address is (issue #16, finding 4).
    """
    members = list(
        Membership.objects.filter(
            organisation=organisation, role__in=[Role.PROFESSIONAL, Role.ORGANISATION_COORDINATOR]
        )
        .exclude(
            Q(active=False) & Exists(Invitation.objects.filter(membership=OuterRef("pk"), accepted_at__isnull=True))
        )
        .select_related("user")
        .order_by("-active", "user__full_name", "role")
    )
    counts: dict[int, int] = {}
    for answer in hooks.active_signals_counted.send(organisation):
        for user_id, count in answer.items():
            counts[user_id] = counts.get(user_id, 0) + count
    for member in members:
        member.active_signals = counts.get(member.user_id, 0)  # type: ignore[attr-defined]  # for the members table
    return members


def organisation_member(*, organisation: Organisation, pk: int):
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)


# --- the public page for parents and youths ---------------------------------------------------


@dataclass(frozen=True)
class PublicFacts:
    """What the region's public page says, read from the region's own data so it is never out of date."""

    region: Region
    max_age: int
    active_years: int
    archive_years: int
    reminder_weeks: int
    internal_matches_reported: bool
    address_matches: bool
    unborn_signals_allowed: bool
    institutional_address_count: int
    followup_days: int
    request_deadline_days: int
    # (sector label, [organisation names]) in the order of the sectors in the law
    organisations_by_sector: list[tuple[str | Promise, list[str]]]
    municipalities: list[Municipality]


def region_public_facts(*, region: Region) -> PublicFacts:
    """The region's rules and participants as they are now; nothing about any person."""
    names_by_sector: dict[str, list[str]] = {}
    for name, sector in (
        Organisation.objects.filter(region=region, active=True).order_by("name").values_list("name", "sector")
    ):
        names_by_sector.setdefault(sector, []).append(name)
    periods = region_periods(region)  # the same periods the region's signals follow (signals/periods.py)
    return PublicFacts(
        region=region,
        # the region's own parameters, never past the legal maxima even if the law's settings were lowered since
        max_age=periods.max_age,
        active_years=periods.active_years,
        archive_years=periods.archive_years,
        reminder_weeks=region.reminder_weeks,
        internal_matches_reported=region.internal_matches_reported,
        address_matches=region.address_matches,
        unborn_signals_allowed=region.unborn_signals_allowed,
        institutional_address_count=InstitutionalAddress.objects.filter(region=region).count(),
        followup_days=region.followup_days,
        request_deadline_days=region.request_deadline_days,
        organisations_by_sector=[
            (label, names_by_sector[value]) for value, label in Sector.choices if value in names_by_sector
        ],
        municipalities=list(Municipality.objects.filter(region=region).order_by("name")),
    )

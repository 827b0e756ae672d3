"""Reads of users and memberships, always scoped to a region."""

from django.db.models import Q, QuerySet

from regions.models import Region

from .models import Membership, Role


def memberships_in_region(*, user, region: Region | None) -> QuerySet[Membership]:
    """The active memberships through which this user may act on this region's host."""
    if not user.is_authenticated or region is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, active=True)
        .filter(
            Q(organisation__region=region)
            | Q(region=region)
            | Q(municipality__region=region)
            | Q(role=Role.SYSTEM_ADMINISTRATOR)
        )
        .select_related("organisation", "region", "municipality")
        .order_by("role", "id")
    )

"""Reads of users, memberships and invitations, always scoped to a region or to the acting membership."""

from django.db.models import Q, QuerySet
from django_otp import devices_for_user

from regions.models import Region

from .models import Invitation, Membership, Role, User


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


def has_second_factor(*, user) -> bool:
    """Whether the user has enrolled a real second factor (the dev shortcut's device does not count)."""
    from .services import DEV_SHORTCUT_DEVICE_NAME

    return any(device.name != DEV_SHORTCUT_DEVICE_NAME for device in devices_for_user(user, confirmed=True))


def invitation_by_token(*, token: str, region: Region | None) -> Invitation | None:
    """The invitation behind a link, only on the host of the region it was sent for."""
    from .services import invitation_token_hash

    if region is None or not token:
        return None
    return (
        Invitation.objects.select_related("user", "region", "membership")
        .filter(token_hash=invitation_token_hash(token), region=region)
        .first()
    )


def users_manageable_by(*, membership: Membership) -> QuerySet[User]:
    """The users whose two-factor login this membership may reset.

    An organisation coordinator: the other people with an active role in their own organisation.
    A process manager: the other people with an active role anywhere in their region (not system
    administrators). Anyone else: nobody. In both cases only people *all* of whose active roles lie in
    that scope: a role elsewhere (another organisation, another region) puts them out of reach, so that
    nobody resets the second factor of an account that also serves somewhere else (issue #16, 4).
    """
    if membership.role == Role.ORGANISATION_COORDINATOR:
        scope = Q(organisation_id=membership.organisation_id)
    elif membership.role == Role.PROCESS_MANAGER:
        scope = (
            Q(organisation__region_id=membership.region_id)
            | Q(region_id=membership.region_id)
            | Q(municipality__region_id=membership.region_id)
        )
    else:
        return User.objects.none()
    member_ids = Membership.objects.filter(scope, active=True).values("user_id")
    elsewhere_ids = Membership.objects.filter(active=True).exclude(scope).values("user_id")
    return (
        User.objects.filter(pk__in=member_ids)
        .exclude(pk__in=elsewhere_ids)
        .exclude(pk=membership.user_id)
        .exclude(memberships__role=Role.SYSTEM_ADMINISTRATOR)
        .order_by("full_name", "email")
    )

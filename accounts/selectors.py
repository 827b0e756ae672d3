"""Reads of users, memberships and invitations, always scoped to a region or to the acting membership."""

from django.db.models import Q, QuerySet
from django_otp import devices_for_user

from .models import Invitation, Membership, Role, User
from .tokens import DEV_SHORTCUT_DEVICE_NAME, invitation_token_hash


def memberships_in_region(*, user, region) -> QuerySet[Membership]:
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
    """Whether the user has enrolled a second factor of this system (not the dev shortcut, not a provider's login)."""
    from .models import IdentityProviderDevice

    return any(
        device.name != DEV_SHORTCUT_DEVICE_NAME and not isinstance(device, IdentityProviderDevice)
        for device in devices_for_user(user, confirmed=True)
    )


def invitation_by_token(*, token: str, region) -> Invitation | None:
    """The invitation behind a link, only on the host of the region it was sent for."""

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


def identity_providers_in_region(*, region) -> QuerySet:
    """The active providers of the region's participating organisations, for the login page."""
    from .models import IdentityProvider

    if region is None:
        return IdentityProvider.objects.none()
    return (
        IdentityProvider.objects.filter(active=True, organisation__active=True, organisation__region=region)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def identity_provider_required_for(*, email: str, region):
    """The provider that people with this e-mail domain must sign in with on this region's host, if any."""
    from .models import IdentityProviderUse

    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for provider in identity_providers_in_region(region=region).filter(use=IdentityProviderUse.REQUIRED):
        if domain in provider.domains:
            return provider
    return None


def identity_provider_required_for_user(*, user):
    """The provider of an organisation this user has a role in that makes its people sign in through it."""
    from .models import IdentityProvider, IdentityProviderUse

    return (
        IdentityProvider.objects.filter(
            active=True,
            use=IdentityProviderUse.REQUIRED,
            organisation__memberships__user=user,
            organisation__memberships__active=True,
        )
        .select_related("organisation")
        .first()
    )


def identity_provider_of(*, invitation: Invitation):
    """The active provider of the organisation an invitation is for, if it has one."""
    from .models import IdentityProvider

    if invitation.membership is None or invitation.membership.organisation_id is None:
        return None
    return (
        IdentityProvider.objects.filter(
            organisation_id=invitation.membership.organisation_id, active=True, organisation__active=True
        )
        .select_related("organisation")
        .first()
    )


def second_factor_enrolment_open(*, user) -> bool:
    """Whether a session without a verified second factor may enrol one (an app or a passkey) now.

    Only someone without a second factor may; and after a reset that demands the one-time link from the e-mail
    (`enrolment_link_required`, issue 16), not before that link was used.
    """
    return not has_second_factor(user=user) and not getattr(user, "enrolment_link_required", False)


def logbook_users_named(*, details: list[dict]) -> dict[str, dict]:
    """The full names of the users that logbook entries point at (the answer to audit.hooks.objects_named)."""
    user_ids = set()
    for each in details:
        for key in ("user_id", "from_user_id", "to_user_id"):
            try:
                user_ids.add(int(each[key]))
            except (KeyError, TypeError, ValueError):
                continue
    return {"user": dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name"))}

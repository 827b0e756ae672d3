"""Writes for accounts: invitations, two-factor enrolment and reset, the dev two-factor shortcut."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit import events as audit_events
from core.links import region_url

from .exceptions import SignInRefused
from .models import MUNICIPALITY_ROLES, ORGANISATION_ROLES, REGION_ROLES, Invitation, Membership, Role, User
from .selectors import has_second_factor
from .tokens import DEV_SHORTCUT_DEVICE_NAME, client_secret_encrypt, invitation_token_hash

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
INVITATION_VALID_DAYS = 7


class InvitationInvalid(Exception):
    """The invitation was used already or has expired (the message is shown to the visitor)."""


def _scope_for(role, *, organisation, region, municipality) -> dict:
    """The membership scope of a role, refusing a scope that does not fit it."""
    role = Role(role)
    if role in ORGANISATION_ROLES:
        if organisation is None or region is not None or municipality is not None:
            raise ValidationError(_("Deze rol hoort bij een organisatie; kies alleen een organisatie."))
        if not organisation.active:
            raise ValidationError(_("Deze organisatie doet niet (meer) mee; uitnodigen kan niet."))
        return {"organisation": organisation, "region": None, "municipality": None}
    if role in REGION_ROLES:
        if region is None or organisation is not None or municipality is not None:
            raise ValidationError(_("Deze rol hoort bij een regio; kies alleen een regio."))
        return {"organisation": None, "region": region, "municipality": None}
    if role in MUNICIPALITY_ROLES:
        if municipality is None or organisation is not None or region is not None:
            raise ValidationError(_("Deze rol hoort bij een gemeente; kies alleen een gemeente."))
        return {"organisation": None, "region": None, "municipality": municipality}
    if organisation is not None or municipality is not None:
        raise ValidationError(_("Een systeembeheerder hoort niet bij een organisatie of gemeente."))
    if region is None:
        raise ValidationError(_("Kies de regio op wier adres de uitnodiging moet werken."))
    return {"organisation": None, "region": None, "municipality": None}


def _link_create(*, user, membership, region, invited_by) -> tuple[Invitation, str]:
    """An e-mailed one-time link (an invitation to a role, or after a reset with no membership) and its token."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = Invitation.objects.create(
        user=user,
        membership=membership,
        region=region,
        token_hash=invitation_token_hash(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    return link, token


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    role: Role | str,
    organisation=None,
    region=None,
    municipality=None,
    invited_by: User | None,
) -> Invitation:
    """Give a person a role and e-mail them a link to set a password and enrol two-factor login.

    Stable interface for the screens of other apps (coordinators invite professionals, process
    managers invite coordinators). The CALLER checks that `invited_by` may grant this role here.

    - `role`: a `Role`. Exactly one scope fits the role: `organisation` for PROFESSIONAL and
      ORGANISATION_COORDINATOR, `region` for PROCESS_MANAGER and FOLLOWUP_MONITOR, `municipality` for
      MUNICIPAL_STAFF. For SYSTEM_ADMINISTRATOR pass only `region`: the host the link points to.
    - An existing user with this e-mail address (case-insensitive) is reused: their name and password
      stay, and the membership stays *pending* (inactive) until they accept it with their password and
      second factor (`invitation_accept`): nobody gains a role over an account by inviting it. A new user
      gets no usable password until they accept; their membership is active at once.
    - Creates an `Invitation` valid for 7 days; only the token's SHA-256 hash is stored. The e-mail,
      with a link on the host of the scope's region, is sent after the transaction commits.
    - Raises `django.core.exceptions.ValidationError` (Dutch message) when the scope does not fit the
      role or the organisation is inactive.

    Returns the Invitation (`invitation.user`, `invitation.membership`); once the transaction committed,
    `invitation.mail_sent` says whether the e-mail went out (None while it waits for the commit).
    """
    scope = _scope_for(role, organisation=organisation, region=region, municipality=municipality)
    link_region = (
        organisation.region if organisation is not None else municipality.region if municipality is not None else region
    )
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        membership, _created = Membership.objects.get_or_create(user=user, role=Role(role), **scope)
    else:
        # an existing account: the role waits for its holder (issue #16, finding 4)
        membership, _created = Membership.objects.get_or_create(
            user=user, role=Role(role), **scope, defaults={"active": False}
        )

    invitation, token = _link_create(user=user, membership=membership, region=link_region, invited_by=invited_by)
    audit_events.user_invited(
        actor=invited_by,
        region_id=link_region.pk,
        user_id=user.pk,
        role=str(Role(role).value),
        membership_id=membership.pk,
    )
    invitation.mail_sent = None
    transaction.on_commit(lambda: _invitation_mail_send(invitation=invitation, token=token))
    return invitation


def mail_header_text(value) -> str:
    """A text fit for an e-mail header: a line break (a region's name, a user's name) would make the mail fail."""
    return " ".join(str(value).split())


def _invitation_mail_send(*, invitation: Invitation, token: str) -> None:
    """Send the invitation e-mail. A failure is logged; inviting again sends a fresh link."""
    link = region_url(invitation.region, reverse("accounts:invitation_accept", kwargs={"token": token}))
    context = {
        "user": invitation.user,
        "membership": invitation.membership,
        "region": invitation.region,
        "invited_by": invitation.invited_by,
        "link": link,
        "valid_days": INVITATION_VALID_DAYS,
        "expires_at": invitation.expires_at,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = mail_header_text(render_to_string("accounts/email/invitation_subject.txt", context))
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[invitation.user.email],
        )
        message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the invitation stays valid; the inviter can send it again
        logger.exception("invitation e-mail could not be sent (invitation %s)", invitation.pk)
        invitation.mail_sent = False
    else:
        invitation.mail_sent = True


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None) -> User:
    """Use an invitation: set the password (None keeps an existing one) and make its role active."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("Deze uitnodiging is al gebruikt."))
    if invitation.is_expired:
        raise InvitationInvalid(_("Deze uitnodiging is verlopen."))
    user = invitation.user
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    # this one role only: other open invitations (another organisation's, perhaps not wanted) stay open, and once
    # the password is set their links ask for it and the second factor (views._invitation_accept_existing)
    if invitation.membership_id is not None:
        Membership.objects.filter(pk=invitation.membership_id, active=False).update(active=True)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    audit_events.invitation_accepted(actor=user, region_id=invitation.region_id, user_id=user.pk)
    return user


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice) -> list[str]:
    """Confirm the TOTP device and issue fresh backup codes (returned once, stored only as django-otp keeps them)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_reset(*, user, actor=None, region=None) -> None:
    """Remove every second factor (authenticator app, backup codes, passkeys); the user enrols again, but only
    through a one-time link e-mailed to them.

    The password alone must not be enough to enrol a new authenticator (whoever knows it would take the
    account over), so `enrolment_link_required` is set until the link from the e-mail was used. Without a
    `region` (a system job), no link is sent and the flag stays off. `actor` and `region` go to the logbook.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    if region is not None:
        user.enrolment_link_required = True
        user.save(update_fields=["enrolment_link_required"])
        link, token = _link_create(user=user, membership=None, region=region, invited_by=actor)
        transaction.on_commit(lambda: _enrolment_link_send(link=link, token=token))
    if actor is not None:
        audit_events.two_factor_reset(
            actor=actor,
            region_id=region.pk if region is not None else None,
            user_id=user.pk,
        )


def _enrolment_link_send(*, link: Invitation, token: str) -> None:
    url = region_url(link.region, reverse("accounts:enrolment_link", kwargs={"token": token}))
    context = {"user": link.user, "region": link.region, "link": url, "valid_days": INVITATION_VALID_DAYS}
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMultiAlternatives(
            subject=mail_header_text(_("Verwijsindex: stel uw tweestapsverificatie opnieuw in")),
            body=render_to_string("accounts/email/enrolment_link.txt", context),
            to=[link.user.email],
        )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the manager can reset again, which sends a fresh link
        logger.exception("enrolment link e-mail could not be sent (link %s)", link.pk)


@transaction.atomic
def enrolment_link_use(*, link: Invitation, user) -> None:
    """The one-time link from the reset e-mail was opened by its own user: enrolment is allowed again."""
    link = Invitation.objects.select_for_update().get(pk=link.pk)
    if link.user_id != user.pk or link.membership_id is not None:
        raise InvitationInvalid(_("Deze link is niet voor u bedoeld."))
    if link.accepted_at is not None:
        raise InvitationInvalid(_("Deze link is al gebruikt."))
    if link.is_expired:
        raise InvitationInvalid(_("Deze link is verlopen. Vraag uw coördinator of procesmanager opnieuw."))
    link.accepted_at = timezone.now()
    link.save(update_fields=["accepted_at"])
    User.objects.filter(pk=user.pk).update(enrolment_link_required=False)
    audit_events.enrolment_link_used(actor=user, region_id=link.region_id, user_id=user.pk)


@transaction.atomic
def two_factor_dev_shortcut(*, user) -> StaticDevice:
    """The device a demo account is logged in with by the dev shortcut (dev profile and demo accounts only)."""
    if not settings.DEV_TWO_FACTOR_SHORTCUT or not user.is_demo:
        raise PermissionError("the two-factor shortcut is only for demo accounts in development")
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=DEV_SHORTCUT_DEVICE_NAME, defaults={"confirmed": True}
    )
    return device


# --- signing in through the organisation's own provider (accounts/oidc.py, docs/adr/0004) ---------------------


def _sign_in_refused(message: str):

    return SignInRefused(message)


@transaction.atomic
def external_identity_sign_in(
    *, provider, subject: str, email: str, email_verified, invitation: Invitation | None = None
) -> User:
    """The account a provider's subject signs in to: the linked one, or on first use the invited one.

    The first time, the subject is linked to the account of `invitation` (the link from the invitation e-mail was
    followed to this sign-in: still open, for a role in the provider's organisation), or else to the account
    invited for a role in that organisation at the e-mail address the provider gives; the invitation is used.
    Nobody gets an account or a role here: someone without an invitation, without an active role in the
    organisation or disabled here is refused.
    """
    from .models import ExternalIdentity

    identity = (
        ExternalIdentity.objects.select_for_update().select_related("user").filter(provider=provider, subject=subject)
    ).first()
    if identity is None:
        identity = _external_identity_link(
            provider=provider, subject=subject, email=email, email_verified=email_verified, invitation=invitation
        )
    user = identity.user
    if not user.is_active:
        raise _sign_in_refused(_("Dit account is niet actief. Neem contact op met de coördinator van uw organisatie."))
    if not Membership.objects.filter(user=user, organisation=provider.organisation, active=True).exists():
        raise _sign_in_refused(
            _("U heeft geen rol (meer) bij %(organisation)s in de verwijsindex.")
            % {"organisation": provider.organisation}
        )
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    audit_events.signed_in_via_organisation(
        actor=user,
        region_id=provider.organisation.region_id,
        organisation_id=provider.organisation_id,
    )
    return user


def _external_identity_link(*, provider, subject: str, email: str, email_verified, invitation):
    from .models import ExternalIdentity

    unknown = _(
        "Uw organisatie kent u, maar de verwijsindex nog niet. Vraag de coördinator van uw organisatie om een "
        "uitnodiging voor het e-mailadres dat uw organisatie doorgeeft."
    )
    if invitation is not None:
        invitation = Invitation.objects.select_related("user", "membership").get(pk=invitation.pk)
        if invitation.accepted_at is not None or invitation.is_expired:
            raise _sign_in_refused(_("Deze uitnodiging is al gebruikt of verlopen. Vraag om een nieuwe uitnodiging."))
        user = invitation.user
        invited = getattr(invitation.membership, "organisation_id", None) == provider.organisation_id
    elif not email or email_verified is False:
        raise _sign_in_refused(unknown)
    else:
        user = User.objects.filter(email__iexact=email.strip()).first()
        invited = (
            user is not None
            and Invitation.objects.filter(user=user, membership__organisation=provider.organisation).exists()
            and Membership.objects.filter(user=user, organisation=provider.organisation, active=True).exists()
        )
    if not invited:
        raise _sign_in_refused(unknown)
    if ExternalIdentity.objects.filter(provider=provider, user=user).exists():
        raise _sign_in_refused(
            _(
                "Dit account is al gekoppeld aan een ander account van uw organisatie. "
                "Neem contact op met uw coördinator."
            )
        )
    identity = ExternalIdentity.objects.create(provider=provider, user=user, subject=subject)
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(accepted_at=timezone.now())
    audit_events.external_identity_linked(
        actor=user,
        region_id=provider.organisation.region_id,
        organisation_id=provider.organisation_id,
        user_id=user.pk,
    )
    return identity


@transaction.atomic
def identity_provider_save(*, organisation, actor, data: dict, client_secret: str = ""):
    """Create or change the organisation's provider; an empty `client_secret` keeps the stored one."""
    from .models import IdentityProvider

    provider = IdentityProvider.objects.filter(organisation=organisation).first() or IdentityProvider(
        organisation=organisation
    )
    for name, value in data.items():
        setattr(provider, name, value)
    if client_secret:
        provider.client_secret_encrypted = client_secret_encrypt(client_secret)
    provider.save()
    audit_events.identity_provider_saved(
        actor=actor,
        region_id=organisation.region_id,
        organisation_id=organisation.pk,
        use=provider.use,
        active=provider.active,
    )
    return provider


def identity_provider_device(*, user, provider):
    """The django-otp device that stands for the provider's own two-factor login of this user."""
    from .models import IdentityProviderDevice

    device, _created = IdentityProviderDevice.objects.get_or_create(
        user=user, provider=provider, defaults={"name": str(provider.organisation), "confirmed": True}
    )
    return device


class PasskeyRemovalRefused(Exception):
    """Removing this passkey would leave no second factor (the message is shown to the user)."""


@transaction.atomic
def passkey_remove(*, user, passkey_id: int, request=None) -> None:
    """Remove one of the user's own passkeys, unless it is their only second factor."""
    from django_otp_webauthn.models import WebAuthnCredential

    passkey = WebAuthnCredential.objects.select_for_update().get(pk=passkey_id, user=user)
    passkey.delete()
    if not has_second_factor(user=user):
        raise PasskeyRemovalRefused(
            _("Dit is uw enige tweede stap. Stel eerst een authenticator-app of een andere passkey in.")
        )
    audit_events.passkey_removed(actor=user, request=request, user_id=user.pk)

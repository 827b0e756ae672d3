"""Users (e-mail as user name) and their roles as memberships scoped to what each role governs."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from core.roles import MUNICIPALITY_ROLES, ORGANISATION_ROLES, REGION_ROLES, Role  # noqa: F401


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class NotificationPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("Direct per e-mail")
    DAILY_DIGEST = "daily_digest", _("Eén overzicht per dag")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200)
    phone = models.CharField(_("telefoonnummer"), max_length=32, blank=True)
    # the e-mail address matched colleagues see (signals/profile); empty: the login address
    contact_email = models.EmailField(_("e-mailadres voor collega's"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot technisch beheer"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    notification_preference = models.CharField(
        _("e-mail over matches"),
        max_length=16,
        choices=NotificationPreference.choices,
        default=NotificationPreference.IMMEDIATE,
    )
    # set when the e-mail provider reports that mail to this address bounces
    email_failing_since = models.DateTimeField(_("e-mail komt niet aan sinds"), null=True, blank=True)
    # demo accounts (manage.py load_demo) may use the dev two-factor shortcut, and only in the dev profile
    is_demo = models.BooleanField(_("demo-account"), default=False)
    # after a second-factor reset: a new authenticator is enrolled only after the link e-mailed to the user
    enrolment_link_required = models.BooleanField(_("koppeling via e-mail vereist"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email


# Role lives in core.roles (importable without regions); its names stay importable from here


class Membership(models.Model):
    """A role of a user, scoped to the organisation, region or municipality it governs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=ORGANISATION_ROLES,
                        organisation__isnull=False,
                        region__isnull=True,
                        municipality__isnull=True,
                    )
                    | Q(
                        role__in=REGION_ROLES,
                        organisation__isnull=True,
                        region__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(
                        role__in=MUNICIPALITY_ROLES,
                        organisation__isnull=True,
                        region__isnull=True,
                        municipality__isnull=False,
                    )
                    | Q(
                        role=Role.SYSTEM_ADMINISTRATOR,
                        organisation__isnull=True,
                        region__isnull=True,
                        municipality__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "region", "municipality"],
                name="membership_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.scope}"

    @property
    def scope(self):
        return self.organisation or self.region or self.municipality or _("landelijk")

    @property
    def scope_region_id(self) -> int | None:
        """The region this membership acts in (None for the system administrator: every region)."""
        if self.organisation_id:
            return self.organisation.region_id
        if self.municipality_id:
            return self.municipality.region_id
        return self.region_id


class Invitation(models.Model):
    """An e-mailed link with which an invited person sets a password and enrols a second factor.

    Only a SHA-256 hash of the token is stored; the token itself exists only in the e-mail.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    # the region whose host the link points to; the link works only on that host
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user.email} ({self.created_at:%Y-%m-%d})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class IdentityProviderUse(models.TextChoices):
    OPTIONAL = "optional", _("Mag: met wachtwoord of via de organisatie inloggen")
    REQUIRED = "required", _("Moet: alleen via de organisatie inloggen")


class IdentityProvider(models.Model):
    """An organisation's own OpenID Connect provider, which its people may or must sign in with (docs/adr/0004).

    The provider only says who someone is: roles stay with this system's invitations and memberships.
    """

    organisation = models.OneToOneField(
        "regions.Organisation", on_delete=models.CASCADE, related_name="identity_provider"
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    client_id = models.CharField(_("client-id"), max_length=200)
    # Fernet (the BSN key ring); empty when the secret comes from the environment (OIDC_CLIENT_SECRETS)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    use = models.CharField(
        _("gebruik"), max_length=16, choices=IdentityProviderUse.choices, default=IdentityProviderUse.OPTIONAL
    )
    email_domains = models.CharField(_("e-maildomeinen"), max_length=500, blank=True)
    two_factor_amr = models.CharField(_("amr-waarden die twee factoren bewijzen"), max_length=200, default="mfa")
    two_factor_acr = models.CharField(_("acr-waarden die twee factoren bewijzen"), max_length=500, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inlogdienst van een organisatie")
        verbose_name_plural = _("inlogdiensten van organisaties")

    def __str__(self):
        return f"{self.organisation} ({self.issuer})"

    @staticmethod
    def _words(value: str) -> set[str]:
        return {word.strip().lower() for word in value.replace(",", " ").split() if word.strip()}

    @property
    def domains(self) -> set[str]:
        return {domain.lstrip("@") for domain in self._words(self.email_domains)}

    @property
    def amr_values(self) -> set[str]:
        return self._words(self.two_factor_amr)

    @property
    def acr_values(self) -> set[str]:
        return self._words(self.two_factor_acr)


class ExternalIdentity(models.Model):
    """The provider's subject (`sub`) linked to an invited account on its first sign-in."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="identities")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_subject_once"),
            models.UniqueConstraint(fields=["provider", "user"], name="external_identity_user_once"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.provider.organisation}"


class IdentityProviderDevice(Device):
    """The provider's own multi-factor login, as django-otp sees it: it verifies no code of its own.

    A session is verified with it only when the provider's ID token proved two factors (amr/acr).
    """

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    def verify_token(self, token):
        return False

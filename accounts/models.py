"""Users (e-mail as user name) and their roles as memberships scoped to what each role governs."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Municipality, Organisation, Region


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

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Meldingsbevoegde")
    ORGANISATION_COORDINATOR = "organisation_coordinator", _("Coördinator organisatie")
    PROCESS_MANAGER = "process_manager", _("Procesmanager")
    FOLLOWUP_MONITOR = "followup_monitor", _("Monitor opvolging")
    MUNICIPAL_STAFF = "municipal_staff", _("Medewerker gemeente")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("Systeembeheerder")


ORGANISATION_ROLES = (Role.PROFESSIONAL, Role.ORGANISATION_COORDINATOR)
REGION_ROLES = (Role.PROCESS_MANAGER, Role.FOLLOWUP_MONITOR)
MUNICIPALITY_ROLES = (Role.MUNICIPAL_STAFF,)


class Membership(models.Model):
    """A role of a user, scoped to the organisation, region or municipality it governs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
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
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="invitations")
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

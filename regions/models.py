"""Regions (tenants), municipalities, organisations and the region's own rules."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A regional reference index: its own name, look, hosts and rules."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), unique=True)
    hostnames = ArrayField(models.CharField(max_length=253), verbose_name=_("hostnamen"), default=list)
    contact_email = models.EmailField(_("contactadres"))
    # design tokens: CSS custom property name (without --) to value, e.g. {"vi-color-primary": "#01689b"}
    theme_tokens = models.JSONField(_("ontwerptokens"), default=dict, blank=True)
    logo = models.ImageField(_("logo"), upload_to="region-logos/", blank=True)
    internal_matches_reported = models.BooleanField(
        _("interne matches melden"),
        default=True,
        help_text=_("Of twee professionals van dezelfde organisatie een match krijgen."),
    )
    reminder_weeks = models.PositiveSmallIntegerField(
        _("herinnering (weken voor einde)"), default=4, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    followup_days = models.PositiveSmallIntegerField(
        _("termijn opvolging (dagen)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    request_deadline_days = models.PositiveSmallIntegerField(
        _("termijn verzoeken (dagen)"), default=28, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    advice_days = models.PositiveSmallIntegerField(
        _("termijn advies (dagen)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    # the region's own parameters within the legal maxima (regions/legal.py; checked by the settings form)
    max_age = models.PositiveSmallIntegerField(
        _("maximumleeftijd"), default=23, validators=[MinValueValidator(12), MaxValueValidator(30)]
    )
    active_years = models.PositiveSmallIntegerField(
        _("looptijd signaal (jaren)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    archive_years = models.PositiveSmallIntegerField(
        _("bewaartermijn archief (jaren)"), default=5, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    address_matches = models.BooleanField(
        _("matches op woonadres"),
        default=True,
        help_text=_("Of signalen op jeugdigen die op hetzelfde woonadres wonen een match geven."),
    )
    unborn_signals_allowed = models.BooleanField(
        _("signalen op ongeboren kinderen"),
        default=False,
        help_text=_("Of professionals een signaal mogen afgeven op het ongeboren kind van een zwangere vrouw."),
    )
    informing_postponed_weeks = models.PositiveSmallIntegerField(
        _("uitgesteld informeren: weken tot herinnering"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("Na hoeveel weken een uitgesteld informeren op de takenlijst van de professional komt."),
    )
    unborn_overdue_weeks = models.PositiveSmallIntegerField(
        _("ongeboren kind: weken na de verwachte datum"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    unborn_end_weeks = models.PositiveSmallIntegerField(
        _("ongeboren kind: daarna vanzelf beëindigd na (weken)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A municipality (gemeente) by CBS code; it belongs to at most one served region."""

    cbs_code = models.CharField(_("CBS-code"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    # where citizens ask for inzage, correction or removal; shown on the region's public page
    contact_email = models.EmailField(_("e-mailadres voor verzoeken"), blank=True)
    contact_phone = models.CharField(_("telefoonnummer voor verzoeken"), max_length=32, blank=True)
    contact_url = models.URLField(_("webpagina voor verzoeken"), blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sector(models.TextChoices):
    """The sectors of Jeugdwet art. 7.1.1.1 that may take part."""

    YOUTH_CARE = "youth_care", _("Jeugdhulp")
    YOUTH_HEALTH_CARE = "youth_health_care", _("Jeugdgezondheidszorg")
    HEALTH_CARE = "health_care", _("Gezondheidszorg")
    EDUCATION = "education", _("Onderwijs")
    SOCIAL_SUPPORT = "social_support", _("Maatschappelijke ondersteuning")
    WORK_AND_INCOME = "work_and_income", _("Werk en inkomen")
    POLICE_AND_JUSTICE = "police_and_justice", _("Politie en justitie")


class Subtype(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    GGD = "ggd", _("GGD / jeugdgezondheidszorg")
    YOUTH_CARE_PROVIDER = "youth_care_provider", _("Jeugdhulpaanbieder")
    CERTIFIED_INSTITUTION = "certified_institution", _("Gecertificeerde instelling")
    WIJKTEAM = "wijkteam", _("Wijkteam / sociaal team")
    SCHOOL = "school", _("School")
    LEERPLICHT = "leerplicht", _("Leerplicht")
    HALT = "halt", _("Halt")
    GENERAL_PRACTITIONER = "general_practitioner", _("Huisarts")
    MENTAL_HEALTH = "mental_health", _("GGZ")
    SOCIAL_SERVICES = "social_services", _("Sociale dienst")
    POLICE = "police", _("Politie")
    PROBATION = "probation", _("Reclassering")
    OTHER = "other", _("Overig")


# which kinds of organisation exist in which sector; a coordinator rule for another pair could never apply
SECTOR_SUBTYPES = {
    Sector.YOUTH_CARE: {Subtype.VEILIG_THUIS, Subtype.YOUTH_CARE_PROVIDER, Subtype.CERTIFIED_INSTITUTION,
                        Subtype.WIJKTEAM, Subtype.OTHER},
    Sector.YOUTH_HEALTH_CARE: {Subtype.GGD, Subtype.OTHER},
    Sector.HEALTH_CARE: {Subtype.GENERAL_PRACTITIONER, Subtype.MENTAL_HEALTH, Subtype.GGD, Subtype.OTHER},
    Sector.EDUCATION: {Subtype.SCHOOL, Subtype.LEERPLICHT, Subtype.OTHER},
    Sector.SOCIAL_SUPPORT: {Subtype.WIJKTEAM, Subtype.VEILIG_THUIS, Subtype.SOCIAL_SERVICES, Subtype.OTHER},
    Sector.WORK_AND_INCOME: {Subtype.SOCIAL_SERVICES, Subtype.OTHER},
    Sector.POLICE_AND_JUSTICE: {Subtype.POLICE, Subtype.PROBATION, Subtype.HALT, Subtype.CERTIFIED_INSTITUTION,
                                Subtype.OTHER},
}  # fmt: skip


class Organisation(models.Model):
    """A participating organisation (instantie) that signed the region's convenant."""

    name = models.CharField(_("naam"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    subtype = models.CharField(_("soort"), max_length=32, choices=Subtype.choices, default=Subtype.OTHER)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    convenant_date = models.DateField(_("ingangsdatum convenant"), null=True, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=32, blank=True)
    # a team mailbox and phone shown to matched colleagues instead of the professional's own (empty: their own)
    team_email = models.EmailField(_("e-mailadres team"), blank=True)
    team_phone = models.CharField(_("telefoonnummer team"), max_length=32, blank=True)
    signalling_profile = models.TextField(
        _("signaleringsprofiel"),
        blank=True,
        help_text=_("De eigen richtlijn van de organisatie over wanneer een signaal wordt afgegeven."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CoordinatorRule(models.Model):
    """One step of a region's ordered list for choosing the matchregisseur."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="coordinator_rules")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    subtype = models.CharField(_("soort"), max_length=32, choices=Subtype.choices, blank=True)

    class Meta:
        verbose_name = _("regel matchregie")
        verbose_name_plural = _("regels matchregie")
        ordering = ["region", "position"]
        constraints = [models.UniqueConstraint(fields=["region", "position"], name="coordinator_rule_position")]

    def __str__(self):
        return f"{self.position}. {self.get_sector_display()} {self.get_subtype_display()}".strip()


class InstitutionalAddress(models.Model):
    """An address of an institution (youth care home, reception centre) that never makes an address match."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="institutional_addresses")
    bag_pseudonym = models.CharField(_("BAG-pseudoniem"), max_length=64, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    description = models.CharField(_("omschrijving"), max_length=200)

    class Meta:
        verbose_name = _("instellingsadres")
        verbose_name_plural = _("instellingsadressen")
        constraints = [models.UniqueConstraint(fields=["region", "bag_pseudonym"], name="institutional_address_once")]

    def __str__(self):
        return self.description


class MoveNotice(models.Model):
    """A youth with active signals moved into this region from elsewhere; told to the process managers.

    It names the signals by reference and the organisations involved, never the youth: the
    process managers contact the organisations, who know whom it concerns.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="move_notices")
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True, db_index=True)
    from_municipality_code = models.CharField(_("vorige gemeente (CBS-code)"), max_length=4, blank=True)
    to_municipality_code = models.CharField(_("nieuwe gemeente (CBS-code)"), max_length=4)
    # references and organisation names as they were at the move, so the notice outlives the signals
    signal_references = ArrayField(models.CharField(max_length=20), verbose_name=_("signalen"), default=list)
    organisation_names = ArrayField(models.CharField(max_length=200), verbose_name=_("organisaties"), default=list)
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("verhuismelding")
        verbose_name_plural = _("verhuismeldingen")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reference}"

    @property
    def reference(self) -> str:
        return f"VM-{self.pk:06d}"

"""The youth as known from the BRP. The BSN is only kept encrypted and as a keyed pseudonym."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Youth(models.Model):
    # HMAC-SHA256 of the BSN under BSN_PSEUDONYM_KEY: every look-up and match uses this
    pseudonym = models.CharField(max_length=64, unique=True)
    # Fernet token of the BSN under the BSN_ENCRYPTION_KEYS key ring
    bsn_encrypted = models.TextField()

    first_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    name_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("geslachtsnaam"), max_length=200, blank=True)
    # BRP date as given, "YYYYMMDD" with "00" for an unknown month or day
    birth_date_brp = models.CharField(_("geboortedatum (BRP)"), max_length=8)
    # earliest possible date of birth: what every age rule uses
    birth_date = models.DateField(_("geboortedatum"))
    sex = models.CharField(_("geslacht"), max_length=1, blank=True)

    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    town = models.CharField(_("woonplaats"), max_length=200, blank=True)
    bag_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    municipality_code = models.CharField(_("gemeentecode"), max_length=4, blank=True, db_index=True)
    # the BRP's name of the municipality: shown where the code is not one of a served region
    municipality_name = models.CharField(_("gemeente"), max_length=100, blank=True)
    parent_pseudonyms = ArrayField(models.CharField(max_length=64), default=list, blank=True)

    confidential = models.BooleanField(_("geheimhouding persoonsgegevens"), default=False)
    date_of_death = models.DateField(_("overlijdensdatum"), null=True, blank=True)
    # BRP `opschortingBijhouding` reason (E emigrated, R registered as non-resident, ...); empty when kept up
    suspension_reason = models.CharField(_("reden opschorting bijhouding"), max_length=1, blank=True)
    refreshed_at = models.DateTimeField(_("laatst bijgewerkt uit de BRP"))
    # set only on the row of an unborn child (docs/adr/0030-unborn-children.md): the mother's BSN pseudonym. Such
    # a row has no BSN of its own: `bsn_encrypted` holds the mother's (to look her and her children up in the BRP),
    # names and address are hers, `birth_date` is the expected date and `pseudonym` a random value.
    unborn_mother_pseudonym = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("jeugdige")
        verbose_name_plural = _("jeugdigen")
        indexes = [
            # only the few unborn children's rows: with nearly every value empty, the planner judged an index over
            # the whole column useless for "= the mother's pseudonym" and read every youth (benchmarks/README.md)
            models.Index(
                fields=["unborn_mother_pseudonym"],
                condition=~models.Q(unborn_mother_pseudonym=""),
                name="youth_unborn_mother",
            ),
        ]

    def __str__(self):
        return f"Youth #{self.pk}"

    @property
    def is_unborn(self) -> bool:
        return bool(self.unborn_mother_pseudonym)

    @property
    def full_name(self) -> str:
        name = " ".join(part for part in (self.first_names, self.name_prefix, self.surname) if part)
        if self.is_unborn:
            return gettext("ongeboren kind van %(mother)s") % {"mother": name}
        return name

    @property
    def initials(self) -> str:
        return "".join(f"{name[0]}." for name in self.first_names.split() if name)

    @property
    def address_lines(self) -> list[str]:
        """The address as lines to show; nothing for a youth with geheimhouding (or without an address)."""
        if self.confidential:
            return []
        # Dutch style: "Turfmarkt 25a-2", "2511 CA 's-Gravenhage"
        number = f"{self.house_number or ''}{self.house_letter}"
        if self.house_number_addition:
            number = f"{number}-{self.house_number_addition}"
        postcode = f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        lines = [
            " ".join(part for part in (self.street, number) if part),
            " ".join(part for part in (postcode, self.town) if part),
        ]
        return [line for line in lines if line]

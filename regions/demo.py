"""Demo data for development and the demo: three regions, their organisations and accounts (all flagged demo).

`manage.py load_demo` loads it (idempotent: run it again and nothing is duplicated, demo passwords are
reset); `manage.py demo_accounts` prints the accounts. Never loaded in production unless
ALLOW_DEMO_DATA is set (a production-like demo with docker compose).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Membership, Role, User

from .models import CoordinatorRule, Municipality, Organisation, Region, Sector, Subtype

# known on purpose: printed by demo_accounts and in the README; demo accounts exist only where ALLOW_DEMO_DATA
DEMO_PASSWORD = "demo-verwijsindex"  # noqa: S105
SYSTEM_ADMINISTRATOR_EMAIL = "beheer@verwijsindex.example"

PROFILES = {
    Subtype.VEILIG_THUIS: "Veilig Thuis meldt bij een vermoeden van huiselijk geweld of kindermishandeling dat na "
    "onderzoek aanleiding geeft tot hulp, zodat andere betrokken hulpverleners elkaar vinden.",
    Subtype.GGD: "De jeugdarts of jeugdverpleegkundige meldt bij zorgen over de gezonde ontwikkeling die om "
    "afstemming met andere betrokkenen vragen, na bespreking in het team.",
    Subtype.YOUTH_CARE_PROVIDER: "De jeugdhulpverlener meldt bij de start van een traject waarin zorgen bestaan "
    "over veiligheid of ontwikkeling, en als de hulp stagneert.",
    Subtype.SCHOOL: "De zorgcoördinator meldt na overleg in het zorgadviesteam, als zorgen over een leerling "
    "buiten school spelen of blijven bestaan.",
    Subtype.WIJKTEAM: "De medewerker van het wijkteam meldt als meerdere hulpverleners bij het gezin betrokken "
    "(kunnen) zijn en afstemming nodig is.",
    Subtype.GENERAL_PRACTITIONER: "De huisarts meldt bij signalen van een bedreigde ontwikkeling die om "
    "samenwerking met jeugdhulp vragen, na afweging volgens de KNMG-meldcode.",
    Subtype.LEERPLICHT: "De leerplichtambtenaar meldt bij langdurig of herhaald verzuim met zorgen over de "
    "thuissituatie.",
}


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    name: str
    sector: str
    subtype: str


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    # an organisation code, "region", or a municipality CBS code; empty for the system administrator
    scope: str
    phone: str = "030 000 0000"


@dataclass(frozen=True)
class DemoRegion:
    slug: str
    name: str
    primary_colour: str
    municipalities: tuple[tuple[str, str], ...]
    organisations: tuple[DemoOrganisation, ...]
    people: tuple[DemoPerson, ...]
    # the matchregisseur is chosen by this ordered list of (sector, subtype)
    coordinator_rules: tuple[tuple[str, str], ...] = (
        (Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM),
        (Sector.YOUTH_CARE, Subtype.YOUTH_CARE_PROVIDER),
        (Sector.YOUTH_HEALTH_CARE, Subtype.GGD),
    )

    @property
    def contact_email(self) -> str:
        return f"procesmanager@{self.slug}.example"


def _people(slug: str, prefix: str, municipality_code: str, names: list[str], phone: str) -> tuple[DemoPerson, ...]:
    """The same set of roles in every region, so the demo is easy to explain."""
    domain = f"{slug}.example"
    return (
        DemoPerson(f"procesmanager@{domain}", names[0], Role.PROCESS_MANAGER, "region", phone),
        DemoPerson(f"monitor@{domain}", names[1], Role.FOLLOWUP_MONITOR, "region", phone),
        DemoPerson(f"gemeente@{domain}", names[2], Role.MUNICIPAL_STAFF, municipality_code, phone),
        DemoPerson(
            f"coordinator.wijkteam@{domain}", names[3], Role.ORGANISATION_COORDINATOR, f"{prefix}-wijkteam", phone
        ),
        DemoPerson(
            f"coordinator.jeugdhulp@{domain}", names[4], Role.ORGANISATION_COORDINATOR, f"{prefix}-jeugdhulp", phone
        ),
        DemoPerson(f"wijkteam@{domain}", names[5], Role.PROFESSIONAL, f"{prefix}-wijkteam", phone),
        DemoPerson(f"jeugdarts@{domain}", names[6], Role.PROFESSIONAL, f"{prefix}-ggd", phone),
        DemoPerson(f"jeugdhulp@{domain}", names[7], Role.PROFESSIONAL, f"{prefix}-jeugdhulp", phone),
    )


def _organisations(prefix: str, names: dict[str, str]) -> tuple[DemoOrganisation, ...]:
    kinds = {
        "veilig-thuis": (Sector.YOUTH_CARE, Subtype.VEILIG_THUIS),
        "ggd": (Sector.YOUTH_HEALTH_CARE, Subtype.GGD),
        "jeugdhulp": (Sector.YOUTH_CARE, Subtype.YOUTH_CARE_PROVIDER),
        "school": (Sector.EDUCATION, Subtype.SCHOOL),
        "wijkteam": (Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM),
        "huisarts": (Sector.HEALTH_CARE, Subtype.GENERAL_PRACTITIONER),
        "leerplicht": (Sector.EDUCATION, Subtype.LEERPLICHT),
    }
    return tuple(DemoOrganisation(f"{prefix}-{key}", name, *kinds[key]) for key, name in names.items() if key in kinds)


REGIONS = (
    DemoRegion(
        slug="midden-nederland",
        name="Verwijsindex Midden-Nederland",
        primary_colour="#01689b",
        municipalities=(("0344", "Utrecht"), ("0307", "Amersfoort"), ("0355", "Zeist"), ("0356", "Nieuwegein")),
        organisations=_organisations(
            "mn",
            {
                "veilig-thuis": "Veilig Thuis Utrecht",
                "ggd": "GGD regio Utrecht",
                "jeugdhulp": "Jeugdhulp De Brug",
                "school": "Stedelijk College Zeist",
                "wijkteam": "Buurtteam Utrecht-Oost",
                "huisarts": "Huisartsenpraktijk Nieuwegein-Noord",
            },
        ),
        people=_people(
            "midden-nederland",
            "mn",
            "0344",
            [
                "Petra de Vries",
                "Jan Bakker",
                "Fatima El Amrani",
                "Sanne Visser",
                "Koen Jansen",
                "Anouk de Boer",
                "Dr. Mehmet Yilmaz",
                "Lotte Smit",
            ],
            "030 123 4567",
        ),
    ),
    DemoRegion(
        slug="haaglanden",
        name="Verwijsindex Haaglanden",
        primary_colour="#275937",
        municipalities=(("0518", "'s-Gravenhage"), ("0503", "Delft"), ("0637", "Zoetermeer"), ("1783", "Westland")),
        organisations=_organisations(
            "hl",
            {
                "veilig-thuis": "Veilig Thuis Haaglanden",
                "ggd": "JGZ Haaglanden",
                "jeugdhulp": "Jeugdhulp Kompas Den Haag",
                "school": "Grotius Scholengemeenschap Delft",
                "wijkteam": "Sociaal Wijkteam Zoetermeer",
                "leerplicht": "Leerplicht Westland",
            },
        ),
        people=_people(
            "haaglanden",
            "hl",
            "0518",
            [
                "Marieke van Dijk",
                "Ahmed Bouzid",
                "Ingrid Hoekstra",
                "Tom Mulder",
                "Priya Ramdin",
                "Bram de Graaf",
                "Dr. Eva Kuipers",
                "Youssef Amrani",
            ],
            "070 123 4567",
        ),
    ),
    DemoRegion(
        slug="flevoland",
        name="Verwijsindex Flevoland",
        primary_colour="#5b2a86",
        municipalities=(("0034", "Almere"), ("0995", "Lelystad"), ("0303", "Dronten")),
        organisations=_organisations(
            "fl",
            {
                "veilig-thuis": "Veilig Thuis Flevoland",
                "ggd": "GGD Flevoland",
                "jeugdhulp": "Jeugdhulp Polderlicht",
                "school": "Het Baken Almere",
                "wijkteam": "Wijkteam Lelystad",
                "huisarts": "Gezondheidscentrum Dronten",
            },
        ),
        people=_people(
            "flevoland",
            "fl",
            "0034",
            [
                "Hanneke Postma",
                "Ricardo Martina",
                "Sophie Verbeek",
                "Dennis Kok",
                "Esra Demir",
                "Laura Brouwer",
                "Dr. Pieter Wolters",
                "Noah van Leeuwen",
            ],
            "036 123 4567",
        ),
    ),
)


def _person_set(person: DemoPerson) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User(email=person.email)
    user.full_name = person.full_name
    user.phone = person.phone
    user.is_active = True
    user.is_demo = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create or update the demo regions, organisations and accounts. Returns counts of what now exists."""
    for spec in REGIONS:
        region, _created = Region.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "contact_email": spec.contact_email,
                "theme_tokens": {"vi-color-primary": spec.primary_colour, "vi-color-primary-contrast": "#ffffff"},
            },
        )
        municipalities = {}
        for code, name in spec.municipalities:
            town = slugify(name)
            municipalities[code], _created = Municipality.objects.update_or_create(
                cbs_code=code,
                defaults={
                    "name": name,
                    "region": region,
                    "contact_email": f"privacy@{town}.example",
                    "contact_url": f"https://www.{town}.example/verwijsindex",
                },
            )
        organisations = {}
        for org in spec.organisations:
            organisations[org.code], _created = Organisation.objects.update_or_create(
                code=org.code,
                defaults={
                    "name": org.name,
                    "sector": org.sector,
                    "subtype": org.subtype,
                    "region": region,
                    "convenant_date": datetime.date(2024, 1, 1),
                    "active": True,
                    "email": f"{org.code}@{spec.slug}.example",
                    "phone": spec.people[0].phone,
                    "signalling_profile": PROFILES.get(org.subtype, ""),
                },
            )
        for position, (sector, subtype) in enumerate(spec.coordinator_rules, start=1):
            CoordinatorRule.objects.update_or_create(
                region=region, position=position, defaults={"sector": sector, "subtype": subtype}
            )
        for person in spec.people:
            user = _person_set(person)
            scope = {"organisation": None, "region": None, "municipality": None}
            if person.scope == "region":
                scope["region"] = region
            elif person.scope in municipalities:
                scope["municipality"] = municipalities[person.scope]
            else:
                scope["organisation"] = organisations[person.scope]
            Membership.objects.update_or_create(user=user, role=person.role, **scope, defaults={"active": True})

    admin = _person_set(DemoPerson(SYSTEM_ADMINISTRATOR_EMAIL, "Beheerder Verwijsindex", Role.SYSTEM_ADMINISTRATOR, ""))
    admin.is_staff = True
    admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.update_or_create(user=admin, role=Role.SYSTEM_ADMINISTRATOR, defaults={"active": True})
    return {
        "regions": Region.objects.filter(slug__in=[r.slug for r in REGIONS]).count(),
        "organisations": Organisation.objects.filter(
            code__in=[o.code for r in REGIONS for o in r.organisations]
        ).count(),
        "accounts": User.objects.filter(is_demo=True).count(),
    }


def demo_accounts() -> list[tuple[str, list[DemoPerson]]]:
    """The demo accounts per region (for printing; the system administrator under every region's host)."""
    return [(spec.slug, list(spec.people)) for spec in REGIONS]

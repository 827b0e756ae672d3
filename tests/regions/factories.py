import datetime

import factory

from regions.models import (
    CoordinatorRule,
    InstitutionalAddress,
    MoveNotice,
    Municipality,
    Organisation,
    Region,
    Sector,
    Subtype,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Verwijsindex Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"procesmanager@{o.slug}.example.nl")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    sector = Sector.YOUTH_CARE
    subtype = Subtype.YOUTH_CARE_PROVIDER
    region = factory.SubFactory(RegionFactory)
    convenant_date = datetime.date(2020, 1, 1)
    active = True
    email = factory.LazyAttribute(lambda o: f"info@{o.code}.example.nl")
    phone = "030 123 4567"


class CoordinatorRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinatorRule

    region = factory.SubFactory(RegionFactory)
    position = factory.Sequence(lambda n: n + 1)
    sector = Sector.YOUTH_CARE
    subtype = ""


class InstitutionalAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionalAddress

    region = factory.SubFactory(RegionFactory)
    bag_pseudonym = factory.Sequence(lambda n: f"{n:064x}")
    postcode = "3511AA"
    house_number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Gezinshuis {n}")


class MoveNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoveNotice

    region = factory.SubFactory(RegionFactory)
    from_municipality_code = "0518"
    to_municipality_code = "0344"
    signal_references = factory.LazyFunction(lambda: ["VI-0000001"])
    organisation_names = factory.LazyFunction(lambda: ["Veilig Thuis"])

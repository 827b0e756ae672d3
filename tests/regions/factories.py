import datetime

import factory

from regions.models import Municipality, Organisation, Region, Sector, Subtype


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

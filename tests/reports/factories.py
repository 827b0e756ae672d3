"""Statistics counters as the handlers keep them (one row per region, month, municipality, sector, metric)."""

import datetime

import factory

from reports.models import Counter, Metric
from tests.regions.factories import RegionFactory


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    region = factory.SubFactory(RegionFactory)
    month = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))
    municipality_code = ""
    sector = ""
    metric = Metric.SIGNAL_PLACED
    count = 1

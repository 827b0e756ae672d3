"""Statistics: correct on a known data set, never a count under 5, and they outlive the signals they count."""

import csv
import datetime
import io
import random

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reports.models import Counter, Metric
from reports.selectors import HIDDEN, SUPPRESSED, region_statistics, suppress_column
from reports.services import counter_increment
from signals import hooks as signal_hooks
from signals.models import Signal
from tests.accounts.factories import process_manager, professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def _place(organisation, municipality_code, when):
    """A signal row as signal_place leaves it, followed by the placed hooks (which feed the counters)."""
    with time_machine.travel(when, tick=False):
        user = professional(organisation)
        signal = Signal.objects.create(
            youth=YouthFactory(municipality_code=municipality_code),
            professional=user,
            organisation=organisation,
            contact_name=user.full_name,
            contact_email=user.email,
            placed_at=timezone.now(),
            ends_on=(timezone.now() + datetime.timedelta(days=730)).date(),
            informing_status="informed",
        )
        signal_hooks.signal_placed(signal)
    return signal


@pytest.fixture
def known(region, other_region):
    """January: 10 placed (7 youth care in Utrecht, 3 education in Zeist); February: 6 placed, 2 ended early."""
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    MunicipalityFactory(cbs_code="0355", name="Zeist", region=region)
    youth_care = OrganisationFactory(region=region, sector="youth_care")
    school = OrganisationFactory(region=region, sector="education", subtype="school")
    signals = [_place(youth_care, "0344", datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)) for _ in range(7)]
    signals += [_place(school, "0355", datetime.datetime(2026, 1, 20, 12, tzinfo=datetime.UTC)) for _ in range(3)]
    signals += [_place(youth_care, "0344", datetime.datetime(2026, 2, 3, 12, tzinfo=datetime.UTC)) for _ in range(6)]
    with time_machine.travel(datetime.datetime(2026, 2, 25, 12, tzinfo=datetime.UTC), tick=False):
        for signal in signals[:2]:
            signal_hooks.signal_ending(signal, "concern_gone")
    # a signal in another region never counts here
    _place(OrganisationFactory(region=other_region), "0518", datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC))
    # matches and follow-up, as matching's hooks count them
    for _ in range(8):
        counter_increment(
            region_id=region.pk, at=JAN, metric=Metric.MATCH_SAME_YOUTH, municipality_code="0344", sector="youth_care"
        )
    for _ in range(2):
        counter_increment(
            region_id=region.pk, at=JAN, metric=Metric.MATCH_SIBLING, municipality_code="0355", sector="education"
        )
    # extensions count as extensions, not as new signals (issue 19)
    counter_increment(region_id=region.pk, at=JAN, metric=Metric.SIGNAL_EXTENDED, sector="youth_care", by=5)
    counter_increment(region_id=region.pk, at=JAN, metric=Metric.FOLLOWUP_DUE, sector="youth_care", by=10)
    for days in (1, 2, 3, 3, 10, 20):
        counter_increment(region_id=region.pk, at=JAN, metric=Metric.FOLLOWUP_RECORDED, sector="youth_care", days=days)
    return signals


def _table(stats, key):
    table = next(t for t in stats.tables if t.key == key)
    return {row.label: [c.shown for c in row.cells] + row.extra for row in [*table.rows, table.total]}


def test_signals_per_month_are_counted_and_small_counts_hidden(known, region):
    stats = region_statistics(region=region, first_month=JAN, last_month=MAR)
    table = _table(stats, "signals_month")
    # placed, extended, ended early, expired
    assert table["2026-01"] == ["10", "5", SUPPRESSED, SUPPRESSED]
    assert table["2026-02"] == ["6", SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert table["2026-03"] == [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert table["Totaal"] == ["16", "5", SUPPRESSED, SUPPRESSED]


def test_a_single_small_cell_is_not_left_computable_from_the_total(known, region):
    table = _table(region_statistics(region=region, first_month=JAN, last_month=MAR), "signals_sector")
    # education has 3: showing youth care's 13 next to the total of 16 would reveal it
    assert table["Onderwijs"][0] == SUPPRESSED
    assert table["Jeugdhulp"][0] == HIDDEN
    assert table["Totaal"][0] == "16"


def test_signals_per_municipality(known, region):
    table = _table(region_statistics(region=region, first_month=JAN, last_month=MAR), "signals_municipality")
    assert table["Utrecht"][0] == HIDDEN
    assert table["Zeist"][0] == SUPPRESSED
    assert table["Buiten de regio of onbekend"][0] == SUPPRESSED


def test_matches_by_kind_and_followup_share_and_median(known, region):
    stats = region_statistics(region=region, first_month=JAN, last_month=MAR)
    matches = _table(stats, "matches_month")
    assert matches["2026-01"] == ["8", SUPPRESSED, SUPPRESSED]
    followup = _table(stats, "followup_month")
    assert followup["2026-01"] == ["10", "6", "60%", "3"]
    assert followup["2026-02"] == [SUPPRESSED, SUPPRESSED, "—", "—"]


def test_figures_survive_the_destruction_of_the_signals(known, region):
    before = region_statistics(region=region, first_month=JAN, last_month=MAR)
    Signal.objects.all().delete()
    after = region_statistics(region=region, first_month=JAN, last_month=MAR)
    assert _table(after, "signals_month") == _table(before, "signals_month")
    assert Counter.objects.filter(region=region, metric=Metric.SIGNAL_PLACED).count() > 0


def test_archived_signal_destroyed_later_is_not_counted_as_ended_twice(known, region):
    signal = known[0]
    signal.status = "archived"
    signal_hooks.signal_ending(signal, "turned_23")
    assert not Counter.objects.filter(region=region, metric=Metric.SIGNAL_ENDED_OTHERWISE).exists()


def test_no_column_ever_reveals_a_count_under_five():
    generator = random.Random(7)
    for _ in range(2000):
        values = [generator.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 20]) for _ in range(generator.randint(1, 8))]
        total = sum(values)
        cells = suppress_column(values, total)
        for cell in cells:
            assert cell.shown in (SUPPRESSED, HIDDEN) or int(cell.shown) >= 5
        if total >= 5:
            hidden = sum(c.value for c in cells if not c.visible)
            # what a reader can compute (total minus the visible cells) is either nothing or at least 5
            assert hidden == 0 or hidden >= 5


def test_statistics_page_shows_charts_and_the_csv_hides_small_counts(known, region):
    client = client_for(process_manager(region), region)
    query = {"first": "2026-01", "last": "2026-03"}
    page = client.get(reverse("reports:statistics"), query).content.decode()
    assert "<svg" in page and "Signalen per maand" in page
    assert 'style="' not in page and "<script" not in page
    response = client.get(reverse("reports:statistics_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["tabel", "indeling", "rij", "maat", "waarde"]
    assert ["Signalen per maand", "Maand", "2026-01", "Signalen afgegeven", "10"] in rows
    assert ["Signalen per maand", "Maand", "Totaal", "Signalen eerder beëindigd", "< 5"] in rows
    values = [row[4] for row in rows[1:] if row[3] not in ("Aandeel met opvolging", "Mediaan dagen tot contact")]
    assert not {"1", "2", "3", "4"} & set(values)


def test_bad_period_gets_a_dutch_message_and_the_default_period(known, region):
    client = client_for(process_manager(region), region)
    page = client.get(reverse("reports:statistics"), {"first": "januari", "last": "2026-03"}).content.decode()
    assert "Vul de maand in als mm-jjjj, bijvoorbeeld 03-2026." in page
    page = client.get(reverse("reports:statistics"), {"first": "13-2026"}).content.decode()
    assert "De maand 13-2026 bestaat niet." in page
    page = client.get(reverse("reports:statistics"), {"first": "2026-03", "last": "2026-01"}).content.decode()
    assert "De eerste maand moet voor de laatste liggen" in page


@pytest.mark.parametrize("typed", ["01-2026", "1-2026", "01/2026", "1 2026", "januari 2026", "Jan. 2026", "2026-01"])
def test_a_month_is_read_as_people_type_it_and_shown_as_mm_jjjj(region, typed):
    client = client_for(process_manager(region), region)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("reports:statistics"), {"first": typed, "last": "03-2026"})
    assert (page.context["figures"].first_month, page.context["figures"].last_month) == (JAN, MAR)
    html = page.content.decode()
    assert 'value="01-2026"' in html and 'value="03-2026"' in html and 'type="month"' not in html
    assert "Maand-jaar (mm-jjjj)" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # the last month there is: one month further does not exist
        ({"first": "12-9999"}, "Kies geen maand na deze maand."),
        ({"first": "9999-01", "last": "9999-12"}, "Kies geen maand na deze maand."),
        # a first month alone, so long ago that the period up to this month is thousands of months
        ({"first": "0001-01"}, "Kies een periode van hoogstens 60 maanden."),
    ],
)
def test_a_period_out_of_bounds_gets_a_dutch_message_and_the_default_period(region, query, message):
    client = client_for(process_manager(region), region)
    page = client.get(reverse("reports:statistics"), query)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["figures"].last_month == timezone.localdate().replace(day=1)
    response = client.get(reverse("reports:statistics_csv"), query)
    assert response.status_code == 200
    assert timezone.localdate().strftime("%Y%m") in response["Content-Disposition"]


def test_statistics_open_with_headline_figures_and_the_period_filled_in(region):
    """Counts on top, the default period in the fields; a share or median of fewer than 5 matches is not shown."""
    this_month = datetime.date(2026, 5, 1)
    for metric, days, count in (
        (Metric.MATCH_SAME_YOUTH, 0, 6),
        (Metric.FOLLOWUP_DUE, 0, 10),
        (Metric.FOLLOWUP_RECORDED, 3, 5),
        (Metric.FOLLOWUP_RECORDED, 30, 3),
    ):
        Counter.objects.create(region=region, month=this_month, metric=metric, days=days, count=count)
    client = client_for(process_manager(region), region)

    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("reports:statistics")).content.decode()

    assert 'value="06-2025"' in page and 'value="05-2026"' in page
    headline = page.split('<dl class="vi-headline">', 1)[1].split("</dl>", 1)[0]
    assert "Signalen nu actief</dt><dd>&lt; 5" in headline
    assert "Matches deze maand</dt><dd>6" in headline
    # 5 of the 10 within the region's 14 days; the median of 3,3,3,3,3,30,30,30 is 3
    assert "Op tijd opgevolgd</dt><dd>50%" in headline
    assert "Mediaan dagen tot contact</dt><dd>3" in headline


def test_every_series_of_the_signals_chart_has_its_own_pattern_so_no_colour_is_needed(known, region):
    """The signals-per-month chart has four series; with three patterns the first and the fourth looked alike."""
    from reports.charts import bar_chart

    for table in region_statistics(region=region, first_month=JAN, last_month=MAR).tables:
        patterns = [pattern for pattern, _name in bar_chart(table).legend]
        assert len(set(patterns)) == len(patterns), (table.title, patterns)

"""Reads of the statistics: tables of counts per month, sector and municipality, with small counts hidden.

A count under 5 is shown as "< 5". Where a table shows a total, hiding one small cell would still let
a reader compute it (total minus the rest), so further cells are hidden until what is hidden together
adds up to at least 5 ("complementary suppression").
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from regions.models import Municipality, Region, Sector
from signals.models import Signal, SignalStatus

from .models import Counter, Metric

THRESHOLD = 5
SUPPRESSED = "< 5"
HIDDEN = "×"  # hidden only so that a small count elsewhere in the column cannot be computed

SIGNAL_METRICS = (Metric.SIGNAL_PLACED, Metric.SIGNAL_EXTENDED, Metric.SIGNAL_ENDED_EARLY, Metric.SIGNAL_EXPIRED)
MATCH_METRICS = (Metric.MATCH_SAME_YOUTH, Metric.MATCH_SIBLING, Metric.MATCH_ADDRESS)
FOLLOWUP_METRICS = (Metric.FOLLOWUP_DUE, Metric.FOLLOWUP_RECORDED)


@dataclass
class Cell:
    value: int
    shown: str = ""
    visible: bool = True

    @property
    def is_hidden(self) -> bool:
        return not self.visible


@dataclass
class Row:
    label: str
    cells: list[Cell]
    extra: list[str] = field(default_factory=list)


@dataclass
class Table:
    key: str
    title: str
    dimension: str
    columns: list[str]
    rows: list[Row]
    total: Row
    extra_columns: list[str] = field(default_factory=list)


def count_shown(value: int) -> str:
    return SUPPRESSED if value < THRESHOLD else str(value)


def suppress_column(values: list[int], total: int) -> list[Cell]:
    """Cells for one column whose values add up to a shown total, hiding what would reveal a small count."""
    cells = [Cell(v, count_shown(v), v >= THRESHOLD) for v in values]
    if total < THRESHOLD:
        # the total itself is hidden, so nothing can be subtracted from it
        return cells
    while 0 < sum(c.value for c in cells if not c.visible) < THRESHOLD:
        candidates = [c for c in cells if c.visible]
        if not candidates:
            break
        smallest = min(candidates, key=lambda c: c.value)
        smallest.visible = False
        smallest.shown = HIDDEN
    return cells


def _table(key, title, dimension, columns, labels, data: dict, metrics) -> Table:
    """data: {row key: {metric: count}}; labels: [(row key, label)] in display order."""
    totals = [sum(data.get(k, {}).get(m, 0) for k, _label in labels) for m in metrics]
    columns_cells = [
        suppress_column([data.get(k, {}).get(m, 0) for k, _label in labels], total)
        for m, total in zip(metrics, totals, strict=True)
    ]
    rows = [Row(label, [column[i] for column in columns_cells]) for i, (_k, label) in enumerate(labels)]
    total = Row(_("Totaal"), [Cell(t, count_shown(t), t >= THRESHOLD) for t in totals])
    return Table(key, title, dimension, columns, rows, total)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _grouped(region: Region, months: list[datetime.date], metrics, by: str) -> dict:
    rows = (
        Counter.objects.filter(region=region, month__in=months, metric__in=[str(m) for m in metrics])
        .values(by, "metric")
        .annotate(total=Sum("count"))
    )
    data: dict = {}
    for row in rows:
        data.setdefault(row[by], {})[row["metric"]] = row["total"]
    return data


def _median_days(histogram: dict[int, int]) -> float | None:
    """The median of a histogram {days: count}."""
    count = sum(histogram.values())
    if not count:
        return None
    targets = ((count - 1) // 2, count // 2)
    found, seen = [], 0
    for days, n in sorted(histogram.items()):
        found += [days for target in targets if seen <= target < seen + n]
        seen += n
    return sum(found) / 2


def _followup_table(region: Region, months, labels, by: str, title: str, key: str, dimension: str) -> Table:
    data = _grouped(region, months, FOLLOWUP_METRICS, by)
    table = _table(key, title, dimension, [_("Matches"), _("Met opvolging")], labels, data, FOLLOWUP_METRICS)
    histograms: dict = {}
    for row in (
        Counter.objects.filter(region=region, month__in=months, metric=Metric.FOLLOWUP_RECORDED)
        .values(by, "days")
        .annotate(total=Sum("count"))
    ):
        histograms.setdefault(row[by], {}).setdefault(row["days"], 0)
        histograms[row[by]][row["days"]] += row["total"]
    table.extra_columns = [_("Aandeel met opvolging"), _("Mediaan dagen tot contact")]
    all_histogram: dict[int, int] = {}
    for histogram in histograms.values():
        for days, n in histogram.items():
            all_histogram[days] = all_histogram.get(days, 0) + n
    for (row_key, _label), row in zip(labels, table.rows, strict=True):
        row.extra = _followup_figures(row.cells[0], row.cells[1], histograms.get(row_key, {}))
    table.total.extra = _followup_figures(table.total.cells[0], table.total.cells[1], all_histogram)
    return table


def _followup_figures(due: Cell, recorded: Cell, histogram: dict[int, int]) -> list[str]:
    """Share and median only when both counts are shown: a share of a hidden count would reveal it."""
    if not (due.visible and recorded.visible) or due.value == 0:
        return ["—", "—"]
    share = f"{round(100 * recorded.value / due.value)}%"
    median = _median_days(histogram)
    return [share, "—" if median is None else f"{median:g}".replace(".", ",")]


@dataclass
class Statistics:
    first_month: datetime.date
    last_month: datetime.date
    tables: list[Table]


def region_statistics(*, region: Region, first_month: datetime.date, last_month: datetime.date) -> Statistics:
    """Every figure of the region between two months (inclusive); the caller has checked the role."""
    months = months_between(first_month, last_month)
    month_labels = [(m, f"{m:%Y-%m}") for m in months]
    sector_labels = [(str(value), str(label)) for value, label in Sector.choices]
    municipality_labels = [(m.cbs_code, m.name) for m in Municipality.objects.filter(region=region).order_by("name")]
    # counters of youths living outside the region's municipalities (or without a known one) are kept together
    known = {code for code, _label in municipality_labels}
    other_codes = set(
        Counter.objects.filter(region=region, month__in=months)
        .exclude(municipality_code__in=known)
        .values_list("municipality_code", flat=True)
    )

    def by_municipality(metrics) -> dict:
        data = _grouped(region, months, metrics, "municipality_code")
        merged = {code: data.get(code, {}) for code in known}
        other: dict = {}
        for code in other_codes:
            for metric, n in data.get(code, {}).items():
                other[metric] = other.get(metric, 0) + n
        merged["__other__"] = other
        return merged

    municipality_rows = municipality_labels + [("__other__", _("Buiten de regio of onbekend"))]
    signal_columns = [str(m.label) for m in SIGNAL_METRICS]
    match_columns = [_("Zelfde jeugdige"), _("Broers en zussen"), _("Zelfde adres")]

    tables = [
        _table(
            "signals_month",
            _("Signalen per maand"),
            _("Maand"),
            signal_columns,
            month_labels,
            _grouped(region, months, SIGNAL_METRICS, "month"),
            SIGNAL_METRICS,
        ),
        _table(
            "signals_sector",
            _("Signalen per sector"),
            _("Sector"),
            signal_columns,
            sector_labels,
            _grouped(region, months, SIGNAL_METRICS, "sector"),
            SIGNAL_METRICS,
        ),
        _table(
            "signals_municipality",
            _("Signalen per gemeente"),
            _("Gemeente"),
            signal_columns,
            municipality_rows,
            by_municipality(SIGNAL_METRICS),
            SIGNAL_METRICS,
        ),
        _table(
            "matches_month",
            _("Matches per soort en maand"),
            _("Maand"),
            match_columns,
            month_labels,
            _grouped(region, months, MATCH_METRICS, "month"),
            MATCH_METRICS,
        ),
        _table(
            "matches_sector",
            _("Matches per soort en sector"),
            _("Sector"),
            match_columns,
            sector_labels,
            _grouped(region, months, MATCH_METRICS, "sector"),
            MATCH_METRICS,
        ),
        _table(
            "matches_municipality",
            _("Matches per soort en gemeente"),
            _("Gemeente"),
            match_columns,
            municipality_rows,
            by_municipality(MATCH_METRICS),
            MATCH_METRICS,
        ),
        _followup_table(region, months, month_labels, "month", _("Opvolging per maand"), "followup_month", _("Maand")),
        _followup_table(
            region, months, sector_labels, "sector", _("Opvolging per sector"), "followup_sector", _("Sector")
        ),
    ]
    return Statistics(first_month=months[0], last_month=months[-1], tables=tables)


@dataclass
class Headline:
    """The figures on top of the statistics page; counts under 5 are shown as "< 5" like every other count."""

    signals_active: str
    matches_this_month: str
    followed_up_in_time: str
    median_days_to_contact: str


def region_headline(*, region: Region, first_month: datetime.date, last_month: datetime.date, today) -> Headline:
    """Signals active now and matches this month; follow-up in time and days to contact over the chosen period."""
    active = Signal.objects.filter(organisation__region=region, status=SignalStatus.ACTIVE).count()
    this_month = today.replace(day=1)
    matches = (
        Counter.objects.filter(region=region, month=this_month, metric__in=[str(m) for m in MATCH_METRICS]).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    months = months_between(first_month, last_month)
    due = (
        Counter.objects.filter(region=region, month__in=months, metric=Metric.FOLLOWUP_DUE).aggregate(n=Sum("count"))[
            "n"
        ]
        or 0
    )
    histogram: dict[int, int] = {}
    for row in (
        Counter.objects.filter(region=region, month__in=months, metric=Metric.FOLLOWUP_RECORDED)
        .values("days")
        .annotate(total=Sum("count"))
    ):
        histogram[row["days"] or 0] = histogram.get(row["days"] or 0, 0) + row["total"]
    in_time = sum(n for days, n in histogram.items() if days <= region.followup_days)
    # a share or median of fewer than 5 matches would point at single matches: not shown
    share = f"{round(100 * in_time / due)}%" if due >= THRESHOLD and in_time >= THRESHOLD else "—"
    median = _median_days(histogram) if sum(histogram.values()) >= THRESHOLD else None
    return Headline(
        signals_active=count_shown(active),
        matches_this_month=count_shown(matches),
        followed_up_in_time=share,
        median_days_to_contact="—" if median is None else f"{median:g}".replace(".", ","),
    )

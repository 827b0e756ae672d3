"""Bar charts as plain SVG geometry, drawn server-side: readable without colour (patterns, labels, values)."""

from dataclasses import dataclass

from .selectors import Table

LABEL_WIDTH = 230
BAR_AREA = 380
VALUE_WIDTH = 60
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 10
PATTERNS = ("solid", "stripes", "dots", "open", "grid")  # told apart without colour, up to five series


@dataclass
class Bar:
    y: int
    width: int
    pattern: str
    text: str
    text_x: int
    series: str


@dataclass
class ChartRow:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass
class Chart:
    key: str
    title: str
    width: int
    height: int
    rows: list[ChartRow]
    legend: list[tuple[str, str]]
    label_width: int = LABEL_WIDTH


def bar_chart(table: Table) -> Chart:
    """One group of bars per row, one bar per column. Hidden counts get no bar, only their "< 5" label."""
    maximum = max((c.value for row in table.rows for c in row.cells if c.visible), default=0) or 1
    rows, y = [], 0
    series_count = len(table.columns)
    for row in table.rows:
        bars = []
        for index, cell in enumerate(row.cells):
            width = round(BAR_AREA * cell.value / maximum) if cell.visible else 0
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            bars.append(
                Bar(
                    y=bar_y,
                    width=width,
                    pattern=PATTERNS[index % len(PATTERNS)],
                    text=cell.shown,
                    text_x=LABEL_WIDTH + width + 4,
                    series=table.columns[index],
                )
            )
        group_height = series_count * (BAR_HEIGHT + BAR_GAP)
        rows.append(ChartRow(label=row.label, label_y=y + group_height // 2 + 4, bars=bars))
        y += group_height + ROW_GAP
    legend = [(PATTERNS[i % len(PATTERNS)], name) for i, name in enumerate(table.columns)]
    return Chart(
        key=table.key,
        title=table.title,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=max(y, 1),
        rows=rows,
        legend=legend,
    )

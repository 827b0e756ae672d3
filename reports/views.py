"""Statistics for process managers: charts, tables and a CSV export of the region's anonymous counters."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required

from .charts import bar_chart
from .forms import PeriodForm
from .selectors import region_headline, region_statistics


def _period(request):
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    first, last = form.period()
    return form, first, last


@role_required(Role.PROCESS_MANAGER)
def statistics(request):
    form, first, last = _period(request)
    figures = region_statistics(region=request.region, first_month=first, last_month=last)
    headline = region_headline(region=request.region, first_month=first, last_month=last, today=timezone.localdate())
    sections = [{"table": table, "chart": bar_chart(table)} for table in figures.tables]
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "figures": figures,
            "headline": headline,
            "sections": sections,
            "query": request.GET.urlencode(),
            "title": _("Statistiek"),
        },
    )


# a cell that starts with one of these is a formula to a spreadsheet program (CSV injection): names of
# organisations and municipalities are typed by people, so every text cell is escaped with a leading quote
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else value


@role_required(Role.PROCESS_MANAGER)
def statistics_csv(request):
    _form, first, last = _period(request)
    figures = region_statistics(region=request.region, first_month=first, last_month=last)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statistiek-{request.region.slug}-{first:%Y%m}-{last:%Y%m}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("tabel"), _("indeling"), _("rij"), _("maat"), _("waarde")])
    for table in figures.tables:
        for row in [*table.rows, table.total]:
            for column, cell in zip(table.columns, row.cells, strict=True):
                writer.writerow([csv_cell(v) for v in (table.title, table.dimension, row.label, column, cell.shown)])
            for column, value in zip(table.extra_columns, row.extra, strict=False):
                writer.writerow([csv_cell(v) for v in (table.title, table.dimension, row.label, column, value)])
    return response

"""Removes anything that looks like a BSN (nine digits passing the elfproef) from logs and error reports."""

import logging
import re
import traceback
from contextlib import ExitStack

from django.db import connections
from django.db.models import QuerySet
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from stdnum.nl import bsn as stdnum_bsn

REDACTED = "[BSN]"
# nine digits, optionally grouped with dots or spaces (123.456.782 / 1234 56 782), not inside a longer number
_CANDIDATE = re.compile(r"(?<![\d.])(\d[\d. ]{7,40}\d)(?![\d])")


def _redact_chunk(chunk: str) -> str:
    """Redact every run of whole digit groups in `chunk` that makes nine digits passing the elfproef.

    Trying every run (not only the whole chunk) catches "1 100600220" and "tel 06 9999.70.033" alike.
    """
    groups = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\d+", chunk)]
    spans = []
    i = 0
    while i < len(groups):
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j][2]
            if len(digits) > 9:
                break
            if len(digits) == 9 and stdnum_bsn.is_valid(digits):
                spans.append((groups[i][0], groups[j][1]))
                i = j
                break
        i += 1
    for start, end in reversed(spans):
        chunk = chunk[:start] + REDACTED + chunk[end:]
    return chunk


def redact_bsn(text: str) -> str:
    return _CANDIDATE.sub(lambda match: _redact_chunk(match.group(0)), text)


class RedactBsnFilter(logging.Filter):
    """A logging filter that renders the message and redacts BSNs from it (and from exception text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the line
            message = str(record.msg)
        record.msg = redact_bsn(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact_bsn("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


class RedactBsnExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (e-mails to admins, the debug page) show no BSN in settings, POST data or variables."""

    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|BSN", flags=re.IGNORECASE)

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        return redact_bsn(value) if isinstance(value, str) else value

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        cleansed = params.copy()
        for key in cleansed:
            cleansed[key] = redact_bsn(str(cleansed[key]))
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        # shown without a query: a queryset or a lazy user would otherwise query the database (which may be
        # the very thing that failed) and break the error page itself
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(_refuse_query))
            return [
                (name, redact_bsn(_shown(value)))
                for name, value in super().get_traceback_frame_variables(request, tb_frame)
            ]


class _QueryRefused(Exception):
    pass


def _refuse_query(execute, sql, params, many, context):
    raise _QueryRefused


def _shown(value) -> str:
    if isinstance(value, QuerySet):
        return f"<QuerySet of {value.model.__name__}, not evaluated>"
    try:
        return str(value)
    except Exception as error:  # noqa: BLE001 - a value that cannot be shown must not break the error page
        return f"<{type(value).__name__}, not shown: {type(error).__name__}>"


class RedactBsnExceptionReporter(ExceptionReporter):
    """Error reports (the technical 500 page, admin e-mails) with every BSN-like number redacted.

    The filter above cleans settings, POST data and frame variables; this also covers the exception
    message, the request path and source lines, whatever the report shows.
    """

    def get_traceback_html(self):
        return redact_bsn(str(super().get_traceback_html()))

    def get_traceback_text(self):
        return redact_bsn(str(super().get_traceback_text()))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a log record in place: its message, its exception text and its stack."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string must not hide the line
        message = str(record.msg)
    redacted = redact_bsn(message)
    if redacted != message:
        record.msg = redacted
        record.args = None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        redacted_text = redact_bsn(text)
        if redacted_text != text:
            # formatters use exc_text when it is set; exc_info stays for handlers that build reports
            # (AdminEmailHandler renders through RedactBsnExceptionReporter)
            record.exc_text = redacted_text
    if record.stack_info:
        record.stack_info = redact_bsn(record.stack_info)
    return record


_factory_installed = False


def install_log_record_redaction() -> None:
    """Redact every log record when it is made, whatever logger or handler (Celery's included) it goes to.

    A filter on a handler only covers the handlers configured in LOGGING; the record factory is used by
    every logger, also loggers and handlers that libraries create later.
    """
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def make_record(*args, **kwargs):
        return redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(make_record)
    _factory_installed = True

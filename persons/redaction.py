"""Removes anything that looks like a BSN (nine digits passing the elfproef) from logs and error reports."""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter
from stdnum.nl import bsn as stdnum_bsn

REDACTED = "[BSN]"
# nine digits, optionally grouped with dots or spaces (123.456.782 / 1234 56 782), not inside a longer number
_CANDIDATE = re.compile(r"(?<![\d.])(\d[\d. ]{7,12}\d)(?![\d])")


def redact_bsn(text: str) -> str:
    def replace(match: re.Match) -> str:
        digits = re.sub(r"[. ]", "", match.group(1))
        if len(digits) == 9 and stdnum_bsn.is_valid(digits):
            return REDACTED
        return match.group(0)

    return _CANDIDATE.sub(replace, text)


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
            import traceback

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
        return [
            (name, redact_bsn(str(value))) for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

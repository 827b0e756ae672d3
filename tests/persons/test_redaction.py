"""A BSN must not leak through a log line, an error page, an error report or a failing Celery task."""

import io
import logging
import sys

import pytest
from django.test import Client
from django.views.debug import get_exception_reporter_class

from persons.redaction import REDACTED, redact_bsn
from tests.conftest import host_of
from tests.persons.error_urls import LEAKED_BSN

GROUPED = "9999.70.033"


@pytest.fixture
def capture():
    """Attach a plain handler (no filters of ours) to a logger; returns what it wrote."""
    attached = []

    def attach(name):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        attached.append((logger, handler))
        return stream

    yield attach
    for logger, handler in attached:
        logger.removeHandler(handler)


def test_redact_bsn_removes_bsns_however_they_are_written_and_leaves_other_numbers():
    assert redact_bsn(f"a {LEAKED_BSN} b {GROUPED} c 9999 70 033") == f"a {REDACTED} b {REDACTED} c {REDACTED}"
    # a BSN right after another number, as in the test person "Digid 1 100600220 voornamen"
    assert redact_bsn("Digid 1 100600220 voornamen") == f"Digid 1 {REDACTED} voornamen"
    # nine digits failing the elfproef, and longer numbers (a BAG id), stay
    assert redact_bsn("order 999970034 and 0518010000583543") == "order 999970034 and 0518010000583543"


def test_bsn_in_a_log_line_of_a_logger_created_later_is_redacted(capture):
    stream = capture("brand.new.logger.made.after.start-up")
    logging.getLogger("brand.new.logger.made.after.start-up").warning("looking up %s and %s", LEAKED_BSN, GROUPED)
    written = stream.getvalue()
    assert "looking up" in written
    assert LEAKED_BSN not in written and GROUPED not in written


def test_bsn_in_an_exception_logged_with_its_traceback_is_redacted(capture):
    stream = capture("some.app")
    try:
        raise KeyError(f"no youth {LEAKED_BSN}")
    except KeyError:
        logging.getLogger("some.app").exception("failed")
    written = stream.getvalue()
    assert "Traceback" in written and "KeyError" in written
    assert LEAKED_BSN not in written


def test_bsn_through_the_root_logger_handlers_is_redacted(capture):
    stream = capture("")
    logging.getLogger("anything").error("BSN %s", LEAKED_BSN)
    assert "BSN" in stream.getvalue() and LEAKED_BSN not in stream.getvalue()


@pytest.mark.urls("tests.persons.error_urls")
def test_error_page_and_its_log_line_show_no_bsn(region, settings, capture):
    settings.DEBUG = False
    stream = capture("django.request")
    response = Client(HTTP_HOST=host_of(region), raise_request_exception=False).get("/kapot/")
    assert response.status_code == 500
    assert LEAKED_BSN not in response.content.decode()
    written = stream.getvalue()
    assert "Internal Server Error" in written and "ValueError" in written
    assert LEAKED_BSN not in written


@pytest.mark.urls("tests.persons.error_urls")
def test_technical_500_page_shows_no_bsn(region, settings):
    settings.DEBUG = True
    response = Client(HTTP_HOST=host_of(region), raise_request_exception=False).get(
        "/kapot/", {"bsn": LEAKED_BSN}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 500
    content = response.content.decode()
    assert "ValueError" in content
    assert LEAKED_BSN not in content


def test_exception_report_for_admins_shows_no_bsn(rf):
    request = rf.post("/signalen/nieuw/", {"bsn": LEAKED_BSN})
    try:
        bsn = LEAKED_BSN  # noqa: F841 - a frame variable in the report
        raise ValueError(f"signal for {LEAKED_BSN}")
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
    html, text = reporter.get_traceback_html(), reporter.get_traceback_text()
    assert "ValueError" in text and "ValueError" in html
    assert LEAKED_BSN not in html and LEAKED_BSN not in text


def test_failing_celery_task_logs_no_bsn(capture):
    from verwijsindex.celery import app

    @app.task(name="tests.persons.leaky_task")
    def leaky_task(bsn):
        raise RuntimeError(f"could not handle {bsn}")

    stream = capture("celery.app.trace")
    result = leaky_task.apply(args=[LEAKED_BSN])
    assert result.failed()
    written = stream.getvalue()
    assert "RuntimeError" in written  # the failure was logged by celery...
    assert LEAKED_BSN not in written  # ...without the BSN

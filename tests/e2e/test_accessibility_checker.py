"""The accessibility check itself: axe runs under the real CSP and a violation fails the test."""

import pytest

from tests.regions.factories import RegionFactory

from .browser import AccessibilityViolation

pytestmark = pytest.mark.usefixtures("e2e_db")


@pytest.fixture(scope="module")
def region(e2e_db):
    return RegionFactory(name="Verwijsindex Flevoland", slug="flevoland")


def test_axe_runs_on_the_login_page_under_the_strict_csp(region, visitors):
    browser = visitors.open(region, "Anonymous")
    browser.goto("/account/inloggen/")
    assert browser.audited[-1].endswith("/account/inloggen/")
    loaded = browser.page.evaluate("() => document.querySelector('script[src$=\"axe.min.js\"]') !== null")
    assert loaded, "axe was not loaded as a same-origin script"


def test_a_wcag_violation_on_a_page_fails_the_check(region, visitors):
    browser = visitors["Anonymous"]
    # an image without a text alternative (WCAG 1.1.1) and a field without a label (WCAG 4.1.2)
    browser.page.evaluate(
        """() => { const img = document.createElement('img'); img.src = '/static/missing.png';
                   const input = document.createElement('input');
                   document.querySelector('main').append(img, input); }"""
    )
    with pytest.raises(AccessibilityViolation, match="image-alt"):
        browser.audit()

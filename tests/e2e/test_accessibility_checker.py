"""The checks themselves: axe runs under the real CSP, and a violation or a layout fault fails the test."""

import pytest

from tests.regions.factories import RegionFactory

from .browser import AccessibilityViolation, LayoutFault

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


def _fresh_login_page(browser):
    browser.goto("/account/inloggen/")


def test_a_page_wider_than_a_phone_fails_the_check(region, visitors):
    browser = visitors["Anonymous"]
    _fresh_login_page(browser)
    browser.page.evaluate(
        """() => { const wide = document.createElement('p'); wide.textContent = 'x'.repeat(10);
                   wide.style.width = '600px'; document.querySelector('main').append(wide); }"""
    )
    with pytest.raises(LayoutFault, match="600|wide in a 375px window"):
        browser.audit()


def test_overlapping_form_controls_fail_the_check(region, visitors):
    browser = visitors["Anonymous"]
    _fresh_login_page(browser)
    # the fault of issue 18: a radio drawn over the label of the field below it
    browser.page.evaluate(
        """() => { const label = document.querySelector('main label');
                   const radio = document.createElement('input'); radio.type = 'radio';
                   radio.setAttribute('aria-label', 'x');
                   const box = label.getBoundingClientRect();
                   radio.style.position = 'absolute'; radio.style.left = box.left + 'px';
                   radio.style.top = box.top + window.scrollY + 'px';
                   document.querySelector('main').append(radio); }"""
    )
    with pytest.raises(LayoutFault, match="overlaps"):
        browser.audit()


def _checked_radio(browser, classes: str) -> None:
    browser.page.evaluate(
        """(classes) => { const radio = document.createElement('input'); radio.type = 'radio'; radio.checked = true;
                   radio.className = classes; radio.setAttribute('aria-label', 'Gekozen');
                   document.querySelector('main').append(radio); }""",
        classes,
    )


def test_a_radio_without_a_visible_checked_state_fails_the_check(region, visitors):
    browser = visitors["Anonymous"]
    _fresh_login_page(browser)
    # the fault of issue 18: Utrecht's radio class without its --html-input modifier draws both states alike
    _checked_radio(browser, "utrecht-radio-button")
    with pytest.raises(LayoutFault, match="checked and an unchecked radio"):
        browser.audit()


def test_a_radio_with_its_modifier_shows_its_checked_state(region, visitors):
    browser = visitors["Anonymous"]
    _fresh_login_page(browser)
    _checked_radio(browser, "utrecht-radio-button utrecht-radio-button--html-input")
    browser.audit()

"""A person in the browser: a Playwright page that checks every document it shows with axe-core.

Every document the page navigates to is recorded; each action waits for the page and runs axe
(WCAG 2.1 A/AA rules) on it, so a page cannot be visited without being checked. `close()` fails if a
document slipped through unchecked.

axe-core is loaded the way any script of the app is: `<script src="/static/axe/axe.min.js">` from the
app's own origin, which the strict CSP (`script-src 'self'`) allows; no CSP relaxation is needed.
"""

import base64
import re
from pathlib import Path

from django_otp.oath import TOTP
from playwright.sync_api import Locator, Page

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE_URL = "/static/axe/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct-horse-battery-staple"  # tests.accounts.factories.PASSWORD

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {
    passes: result.passes.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
    })),
  };
}"""


# Layout faults a person sees and axe does not: a page wider than the window (the whole page scrolls sideways),
# form controls or labels drawn over each other, and a radio or checkbox whose checked state does not show.
WIDTHS = (1280, 375)
_LAYOUT = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    const over = el => el.getBoundingClientRect().right > window.innerWidth + 1;
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => over(el) && !(el.parentElement && over(el.parentElement))).slice(0, 3)
      .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    problems.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`
      + ` (widest: ${wide.join(', ')})`);
  }
  const shown = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden'
      && !el.closest('.vi-skip-link, .vi-visually-hidden');
  };
  const name = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + `${el.htmlFor ? '[for=' + el.htmlFor + ']' : ''} "${(el.innerText || el.value || '').trim().slice(0, 30)}"`;
  const items = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, label, legend')]
    .filter(shown);
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.contains(b) || b.contains(a)) continue;
      const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) problems.push(`${name(a)} overlaps ${name(b)} (${Math.round(w)}x${Math.round(h)}px)`);
    }
  }
  return problems;
}"""
# a copy of each kind of radio/checkbox with the opposite state, next to it, to compare pixels with
_PROBES_ADD = """() => {
  const seen = new Set(), pairs = [];
  for (const el of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const r = el.getBoundingClientRect();
    const key = el.type + ' ' + el.className;
    if (r.width < 1 || seen.has(key)) continue;
    seen.add(key);
    const probe = el.cloneNode(false);
    probe.removeAttribute('id'); probe.name = 'vi-probe-' + pairs.length; probe.checked = !el.checked;
    probe.setAttribute('data-vi-probe', String(pairs.length));
    probe.setAttribute('aria-hidden', 'true'); probe.tabIndex = -1;
    el.setAttribute('data-vi-probed', String(pairs.length));
    el.after(probe);
    pairs.push(key);
  }
  return pairs;
}"""
_PROBES_REMOVE = """() => {
  document.querySelectorAll('[data-vi-probe]').forEach(el => el.remove());
  document.querySelectorAll('[data-vi-probed]').forEach(el => el.removeAttribute('data-vi-probed'));
}"""


# Codes where words belong (issue 18): the text a person reads, leaving out what a page shows deliberately as a code
# (an element marked data-vi-code, such as the CBS-code column of the municipalities a process manager keeps) and the
# hints under form fields, whose examples show what to type into a code field; text for screen readers and the
# options of a list count.
_READABLE_TEXT = """() => {
  const skip = '[data-vi-code], .utrecht-form-field-description, script, style, noscript, textarea';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(skip)) parts.push(node.nodeValue);
  }
  return parts.join(' ');
}"""
# a municipality code: four digits with a leading zero (no year, amount or postcode has one), "1999" (the RNI; no
# youth here is born in 1999), or any four digits right after the word "gemeente"
_MUNICIPALITY_CODE = re.compile(r"(?<![\w-])(?:0\d{3}|1999)(?![\w-])|\bgemeente\s+\d{4}\b", re.IGNORECASE)
# a logbook action code or any other snake_case identifier in running text
_SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def raw_codes(text: str) -> list[str]:
    """The municipality codes and snake_case (action) codes in a page's readable text."""
    from audit.actions import ACTION_LABELS

    found = [m.group(0) for m in _MUNICIPALITY_CODE.finditer(text)]
    found += [m.group(0) for m in _SNAKE_CASE.finditer(text)]
    found += [code for code in ACTION_LABELS if code in text and code not in found]
    return sorted(set(found))


class AccessibilityViolation(AssertionError):
    pass


class RawCodeShown(AssertionError):
    pass


class LayoutFault(AssertionError):
    pass


def totp_token(device) -> str:
    """The current code of a django-otp TOTP device, as the user's authenticator app would show it."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def totp_token_from_secret(secret_base32: str) -> str:
    """The code an authenticator app computes from the key typed in from the enrolment page."""
    key = base64.b32decode(secret_base32.replace(" ", "").upper())
    return f"{TOTP(key, 30, 0, 6).token():06d}"


class Visitor:
    """One person with their own browser context (cookies) on one region's host."""

    def __init__(self, browser, stack, region, name: str):
        self.stack = stack
        self.region = region
        self.name = name
        self.context = browser.new_context(
            base_url=stack.url(region, ""), locale="nl-NL", viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(15_000)
        self.page: Page = self.context.new_page()
        self.audited: list[str] = []
        self._unchecked: list[str] = []
        self.page.on("framenavigated", self._navigated)
        self.page.on("pageerror", lambda error: self._errors.append(str(error)))
        self.page.on("console", self._console)
        self._errors: list[str] = []
        self._pages = 0

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self._unchecked.append(frame.url)

    def _console(self, message) -> None:
        # the browser reports CSP refusals on the console; any such refusal is a bug in a template
        if message.type == "error" and "Content Security Policy" in message.text:
            self._errors.append(message.text)

    # --- navigation; each one is checked ------------------------------------------------------
    def goto(self, path: str, *, expect_status: int | None = 200) -> Page:
        response = self.page.goto(path)
        self._no_server_error(response)
        if expect_status is not None:
            assert response is not None and response.status == expect_status, (
                f"{self.name}: {path} answered {response.status if response else None}"
            )
        self.check()
        return self.page

    def click(self, target: str | Locator) -> Page:
        """Click a link or submit button and wait for the next document."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation() as navigation:
            locator.click()
        self._no_server_error(navigation.value)
        self.check()
        return self.page

    def press(self, key: str) -> Page:
        """Press a key that leads to the next document (Enter on a link or a submit button)."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        self._no_server_error(navigation.value)
        self.check()
        return self.page

    def _no_server_error(self, response) -> None:
        if response is not None and response.status >= 500:
            raise AssertionError(
                f"{self.name}: {response.url} answered {response.status}; web log:\n{self.stack.log('web')}"
            )

    def check(self) -> None:
        """Wait for the document to settle and run axe on it if it is a new one."""
        self.page.wait_for_load_state("load")
        if not self._unchecked:
            return
        self._unchecked.clear()
        self.audit()

    def audit(self) -> None:
        """axe and the layout checks at each width of WIDTHS, with a screenshot of each; back to the first width."""
        self._pages += 1
        slug = re.sub(r"[^a-z0-9]+", "-", self.page.url.split("://", 1)[-1].split("/", 1)[-1].lower()).strip("-")
        viewport = self.page.viewport_size
        try:
            self._words()
            for width in WIDTHS:
                self.page.set_viewport_size({"width": width, "height": viewport["height"]})
                self._axe()
                self._layout(width)
                SCREENSHOTS.mkdir(exist_ok=True)
                shot = f"{self.name.lower()}-{self._pages:02d}-{slug or 'start'}"[:80]
                self.page.screenshot(path=SCREENSHOTS / "pages" / f"{shot}-{width}.png", full_page=True)
        finally:
            self.page.set_viewport_size(viewport)
        self.audited.append(self.page.url)

    def _layout(self, width: int) -> None:
        url = self.page.url
        problems = self.page.evaluate(_LAYOUT)
        kinds = self.page.evaluate(_PROBES_ADD)
        try:
            for index, kind in enumerate(kinds):
                own = self.page.locator(f'[data-vi-probed="{index}"]').screenshot(animations="disabled")
                opposite = self.page.locator(f'[data-vi-probe="{index}"]').screenshot(animations="disabled")
                if own == opposite:
                    problems.append(f"a checked and an unchecked {kind} look the same")
        finally:
            self.page.evaluate(_PROBES_REMOVE)
        if problems:
            raise LayoutFault(f"{self.name}: at {width}px on {url}:\n- " + "\n- ".join(problems))

    def _words(self) -> None:
        if "/dev/" in self.page.url:  # the development mailbox shows raw e-mails, headers and all
            return
        codes = raw_codes(self.page.evaluate(_READABLE_TEXT))
        if codes:
            raise RawCodeShown(f"{self.name}: codes instead of words on {self.page.url}: {codes}")

    def _axe(self) -> None:
        url = self.page.url
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(url=AXE_URL)
        result = self.page.evaluate(_AXE_RUN, WCAG_TAGS)
        assert result["passes"] > 0, f"axe did not run on {url}"
        if result["violations"]:
            lines = [f"{self.name}: WCAG 2.1 A/AA violations on {url}:"]
            for violation in result["violations"]:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(f"    {node}" for node in violation["nodes"])
            raise AccessibilityViolation("\n".join(lines))

    def messages(self) -> str:
        """The alerts and field errors on the page, for assertion messages."""
        texts = self.page.locator(".utrecht-alert, .utrecht-form-field-error-message").all_inner_texts()
        return f"{self.page.url}: {' | '.join(t.strip() for t in texts)}"

    def screenshot(self, name: str) -> None:
        """A named screenshot of the page as it is now, at each width (every document also gets them in pages/)."""
        SCREENSHOTS.mkdir(exist_ok=True)
        viewport = self.page.viewport_size
        try:
            for width in WIDTHS:
                self.page.set_viewport_size({"width": width, "height": viewport["height"]})
                self.page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        finally:
            self.page.set_viewport_size(viewport)

    # --- logging in with two factors ------------------------------------------------------------
    def login(self, user, device, *, password: str = PASSWORD) -> None:
        """Password, then the TOTP code computed from the device key like an authenticator app."""
        self.goto("/account/inloggen/")
        self.page.get_by_label("E-mailadres").fill(user.email)
        self.page.get_by_label("Wachtwoord").fill(password)
        self.click(self.page.get_by_role("button", name="Volgende"))
        assert "/account/tweede-stap/" in self.page.url, f"{self.name}: no second step, at {self.page.url}"
        self.page.get_by_label(re.compile("Code uit uw authenticator-app")).fill(totp_token(device))
        self.click(self.page.get_by_role("button", name="Inloggen"))
        assert "/account/" not in self.page.url, f"{self.name}: login did not finish, at {self.page.url}"

    # --- keyboard only --------------------------------------------------------------------------
    def tab_to(self, locator: Locator, *, max_tabs: int = 60) -> None:
        """Press Tab until the element has focus, as a keyboard user moves through the page."""
        handle = locator.element_handle()
        for _ in range(max_tabs):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(el) => el === document.activeElement", handle):
                return
        raise AssertionError(f"{self.name}: could not reach {locator} with Tab on {self.page.url}")

    def type_date(self, day) -> None:
        """Type a date into the focused date field as its hint says: dd-mm-jjjj."""
        self.page.keyboard.type(f"{day:%d-%m-%Y}")

    def focused_visible(self) -> bool:
        """The focused element shows a focus indicator (an outline or box-shadow), WCAG 2.4.7."""
        return self.page.evaluate(
            """() => { const el = document.activeElement; if (!el || el === document.body) return false;
                 const s = getComputedStyle(el);
                 return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"""
        )

    def close(self) -> None:
        self.page.wait_for_load_state("load")
        unchecked = list(self._unchecked)
        errors = list(self._errors)
        self.context.close()
        assert not unchecked, f"{self.name}: documents not checked with axe: {unchecked}"
        assert not errors, f"{self.name}: errors in the browser: {errors}"

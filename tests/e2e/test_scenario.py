"""The whole story in a real browser, one step per test, in order, sharing one data set and the real stack.

Two professionals of different organisations and regions signal two sisters from the BRP test set
(mother 999999126: Maya 999970021 and Mira 999970033, living in 's-Gravenhage). Both see the match
and get the e-mail; the coordinator records the follow-up; municipal staff handle the mother's
inzage request and download the PDF; a process manager sees the statistics. A step whose feature is
not on main yet is skipped with that reason, and so is every step that builds on it.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import municipal_staff, process_manager, professional
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")

MAYA_BSN = "999970021"  # born 2015-02-01, mother 999999126
MIRA_BSN = "999970033"  # born 2017-01-01, mother 999999126 and father 999999163


class Story:
    """What the steps have done so far; a step needs the steps it builds on."""

    def __init__(self):
        self.done: set[str] = set()

    def needs(self, *steps: str) -> None:
        missing = [step for step in steps if step not in self.done]
        if missing:
            pytest.skip(f"needs the earlier step(s) {', '.join(missing)}, which did not complete")


def feature(url_name: str, what: str) -> str:
    """The URL of a feature, or skip the step: it is not on main yet."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        pytest.skip(f"{what} is not on main yet (no URL '{url_name}')")


def feature_module(module: str, what: str) -> None:
    """Skip the step when a module it needs is not on main yet."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{what} is not on main yet (no module {module})")


@pytest.fixture(scope="module")
def story():
    return Story()


@pytest.fixture(scope="module")
def world(e2e_db):
    """Two regions, the organisations and the people of the story, with confirmed TOTP devices."""
    utrecht_region = RegionFactory(name="Verwijsindex Midden-Nederland", slug="midden-nederland")
    haaglanden = RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden")
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=utrecht_region)
    the_hague = MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=haaglanden)
    youth_care = OrganisationFactory(
        region=utrecht_region,
        name="Jeugdhulp Utrecht",
        signalling_profile="Wij signaleren bij zorgen over veiligheid of ontwikkeling die wij niet alleen oplossen.",
    )
    school = OrganisationFactory(
        region=haaglanden, name="Basisschool De Duinen", sector="education", subtype="school",
        signalling_profile="De intern begeleider signaleert na overleg in het zorgteam.",
    )  # fmt: skip
    people = {
        "anna": professional(youth_care, user__full_name="Anna de Vries", user__email="anna@jeugdhulp.example.nl"),
        "bram": professional(school, user__full_name="Bram Jansen", user__email="bram@deduinen.example.nl"),
        "gemma": municipal_staff(the_hague),
        "pieter": process_manager(haaglanden),
    }
    people["gemma"].full_name = "Gemma Gemeente"
    people["pieter"].full_name = "Pieter Procesmanager"
    for user in people.values():
        user.save()
    devices = {
        key: TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
        for key, user in people.items()
        if key != "anna"  # Anna enrols her app in the browser on her first login
    }
    return {
        "regions": {"utrecht": utrecht_region, "haaglanden": haaglanden},
        "people": people,
        "devices": devices,
        "organisations": {"youth_care": youth_care, "school": school},
    }


def test_a_professional_enrols_two_factor_login_on_first_login(world, story, visitors):
    anna = world["people"]["anna"]
    browser = visitors.open(world["regions"]["utrecht"], "Anna")
    browser.goto("/")
    assert "/account/inloggen/" in browser.page.url
    browser.screenshot("01-login")
    browser.page.get_by_label("E-mailadres").fill(anna.email)
    browser.page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    browser.click(browser.page.get_by_role("button", name="Volgende"))
    assert "/account/tweestapsverificatie-instellen/" in browser.page.url
    browser.screenshot("02-enrol-two-factor")

    from .browser import totp_token_from_secret

    secret = browser.page.locator("code").inner_text()
    browser.page.get_by_label("Code uit uw authenticator-app").fill(totp_token_from_secret(secret))
    browser.click(browser.page.get_by_role("button", name="Koppelen"))
    assert browser.page.get_by_role("heading", name="Uw back-upcodes").is_visible()
    # the codes can be printed, and copied to the clipboard in one go
    assert browser.page.get_by_role("button", name="Afdrukken").is_visible()
    browser.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser.page.get_by_role("button", name="Kopiëren").click()
    browser.page.get_by_text("De codes staan op het klembord.").wait_for()
    copied = browser.page.evaluate("() => navigator.clipboard.readText()")
    assert copied.split() == browser.page.locator("#backup-codes code").all_inner_texts()
    browser.screenshot("02b-backup-codes")
    browser.goto("/")
    assert browser.page.get_by_role("heading", name="Welkom, Anna de Vries").is_visible()
    story.done.add("anna enrolled")


def test_a_professional_of_another_organisation_and_region_logs_in_with_two_factors(world, story, visitors):
    bram = world["people"]["bram"]
    browser = visitors.open(world["regions"]["haaglanden"], "Bram")
    browser.login(bram, world["devices"]["bram"])
    assert browser.page.get_by_role("heading", name="Welkom, Bram Jansen").is_visible()
    browser.screenshot("03-home-professional")
    story.done.add("bram logged in")


def test_the_first_professional_places_a_signal(world, story, visitors):
    story.needs("anna enrolled")
    place_url = feature("signals:place", "The signal placing flow")
    feature_module("persons.services", "The BRP look-up (persons.services.youth_by_bsn)")
    browser = visitors["Anna"]
    browser.goto(place_url)
    browser.screenshot("04-place-step-1-lookup")
    page = browser.page
    page.get_by_label("Burgerservicenummer (BSN)").fill(MAYA_BSN)
    page.get_by_label("Geboortedatum").fill("1-2-2015")
    browser.click(page.get_by_role("button", name="Zoeken"))

    assert page.get_by_role("heading", name="Is dit de jeugdige die u bedoelt?").is_visible(), browser.messages()
    assert "Maya" in page.content() and MAYA_BSN not in page.content()
    browser.screenshot("05-place-step-2-confirm")
    browser.click(page.get_by_role("button", name="Ja, dit is de jeugdige"))

    assert "Wij signaleren bij zorgen" in page.content()
    page.get_by_label("Ik heb het signaleringsprofiel van mijn organisatie gewogen").check()
    browser.click(page.get_by_role("button", name="Volgende"))

    # Maya is under 12: her parents are informed
    assert "de ouders/gezaghebbenden" in page.locator(".utrecht-alert").inner_text()
    page.get_by_label("Geïnformeerd", exact=True).check()
    page.get_by_label("de ouders/gezaghebbenden").check()
    page.get_by_label("Wanneer?").fill(_today("%d-%m-%Y"))
    page.get_by_label("Hoe?").fill("In een gesprek met de moeder")
    browser.screenshot("06-place-step-4-informing")
    browser.click(page.get_by_role("button", name="Signaal afgeven"))

    assert page.get_by_role("heading", name="Uw signaal is afgegeven").is_visible(), browser.messages()
    browser.screenshot("07-signal-placed")
    browser.goto(reverse("signals:list"))
    assert "Maya" in page.content() and MAYA_BSN not in page.content()
    story.done.add("anna placed")


def test_the_second_professional_signals_a_sibling_with_the_keyboard_only(world, story, visitors):
    """Bram places his signal on Mira using only Tab, typing, Space and Enter."""
    story.needs("bram logged in")
    place_url = feature("signals:place", "The signal placing flow")
    feature_module("persons.services", "The BRP look-up (persons.services.youth_by_bsn)")
    browser = visitors["Bram"]
    page = browser.page
    browser.goto("/")
    # the skip link is the first stop and shows where focus is
    browser.tab_to(page.get_by_role("link", name="Naar de inhoud"))
    assert browser.focused_visible(), "the skip link shows no focus indicator"
    # from the start page into the placing flow by keyboard, through the main navigation
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    assert navigation.get_by_role("link", name="Start").get_attribute("aria-current") == "page"
    browser.tab_to(navigation.get_by_role("link", name="Signaal afgeven"))
    assert browser.focused_visible(), "the navigation link shows no focus indicator"
    browser.press("Enter")
    assert page.url.endswith(place_url), page.url
    assert navigation.get_by_role("link", name="Signaal afgeven").get_attribute("aria-current") == "page"

    browser.tab_to(page.get_by_label("Burgerservicenummer (BSN)"))
    page.keyboard.type(MIRA_BSN)
    browser.tab_to(page.get_by_label("Geboortedatum"))
    browser.type_date(datetime.date(2017, 1, 1))
    assert page.get_by_label("Geboortedatum").input_value() == "01-01-2017"
    browser.tab_to(page.get_by_role("button", name="Zoeken"))
    assert browser.focused_visible(), "the search button shows no focus indicator"
    browser.press("Enter")

    assert page.get_by_role("heading", name="Is dit de jeugdige die u bedoelt?").is_visible(), browser.messages()
    browser.tab_to(page.get_by_role("button", name="Ja, dit is de jeugdige"))
    browser.press("Enter")

    browser.tab_to(page.get_by_label("Ik heb het signaleringsprofiel van mijn organisatie gewogen"))
    page.keyboard.press("Space")
    browser.tab_to(page.get_by_role("button", name="Volgende"))
    browser.press("Enter")

    # Mira is under 12 as well
    browser.tab_to(page.get_by_label("Geïnformeerd", exact=True))
    page.keyboard.press("Space")
    browser.tab_to(page.get_by_label("de ouders/gezaghebbenden"))
    page.keyboard.press("Space")
    browser.tab_to(page.get_by_label("Wanneer?"))
    browser.type_date(datetime.date.fromisoformat(_today()))
    typed = page.get_by_label("Wanneer?").input_value()
    assert typed == _today("%d-%m-%Y"), typed
    browser.tab_to(page.get_by_label("Hoe?"))
    page.keyboard.type("Telefonisch met de ouders")
    browser.tab_to(page.get_by_role("button", name="Signaal afgeven"))
    browser.press("Enter")

    assert page.get_by_role("heading", name="Uw signaal is afgegeven").is_visible(), browser.messages()
    story.done.add("bram placed")


def test_both_professionals_see_the_match(world, story, visitors):
    story.needs("anna placed", "bram placed")
    matches_url = feature("matching:my_matches", "The 'My matches' page")
    # detection runs in the Celery worker after the placing transaction commits
    for name, other in (("Anna", "Bram Jansen"), ("Bram", "Anna de Vries")):
        browser = visitors[name]
        _reload_until(browser, matches_url, other)
        assert MAYA_BSN not in browser.page.content() and MIRA_BSN not in browser.page.content()
        browser.screenshot(f"08-my-matches-{name.lower()}")
    browser = visitors["Anna"]
    browser.click(browser.page.get_by_role("link", name="Match M-").first)
    assert browser.page.get_by_role("heading", name="Matchregisseur").is_visible()
    # Maya is Anna's youth; Mira, signalled by Bram, is only "broer/zus" with her year of birth
    assert "broer/zus (geboren in 2017)" in browser.page.content() and "Mira" not in browser.page.content()
    browser.screenshot("09-the-match")
    # readable on a phone: nothing in the page's content is wider than the content column; the participants'
    # table scrolls inside itself. (At 375 px the header's navigation, the base layout's, still widens the
    # whole page to about 740 px: left to the base layout's own work and tests.)
    for url in (browser.page.url, matches_url):
        browser.page.set_viewport_size({"width": 375, "height": 800})
        browser.goto(url[url.index("/matches/") :] if "://" in url else url)
        too_wide = browser.page.evaluate(
            "() => { const edge = document.querySelector('main').getBoundingClientRect().right + 0.5;"
            " return [...document.querySelectorAll('main *')]"
            ".filter(e => !e.closest('.vi-table-scroll') && e.getBoundingClientRect().right > edge)"
            ".map(e => e.tagName + '.' + e.className); }"
        )
        assert too_wide == [], (url, too_wide)
    browser.screenshot("09-the-match-375")
    browser.page.set_viewport_size({"width": 1280, "height": 900})
    story.done.add("match seen")


def test_the_match_emails_arrive_in_the_mail_sink(world, story, visitors, e2e_stack):
    story.needs("anna placed", "bram placed")
    from .stack import body_text

    for user, other in (("anna", "Bram Jansen"), ("bram", "Anna de Vries")):
        mails = e2e_stack.wait_for_mail(world["people"][user].email)
        match_mails = [m for m in mails if other in body_text(m)]
        assert len(match_mails) == 1, [m["Subject"] for m in mails]
        text = body_text(match_mails[0])
        for secret in (MAYA_BSN, MIRA_BSN, "Maasland", "Turfmarkt"):
            assert secret not in text, f"the match e-mail to {user} contains {secret!r}"
    story.done.add("mail arrived")

    # the dev mailbox page (mounted by the e2e profile, which sets DEV_MAILBOX_DIR; the test process's
    # own URLconf does not have it) shows the same mail
    browser = visitors["Anna"]
    browser.goto("/dev/mail/")
    assert world["people"]["anna"].email in browser.page.content()
    browser.screenshot("10-dev-mailbox")


def _the_match():
    from matching.models import Match

    return Match.objects.select_related("coordinator_signal__professional").get()


def test_the_coordinator_records_the_follow_up(world, story, visitors):
    story.needs("match seen")
    match = _the_match()
    name = "Anna" if match.coordinator_signal.professional == world["people"]["anna"] else "Bram"
    other = "Bram Jansen" if name == "Anna" else "Anna de Vries"
    browser = visitors[name]
    browser.goto(reverse("matching:match", args=[match.reference]))
    assert browser.page.get_by_text("U bent de matchregisseur").is_visible()
    browser.click(browser.page.get_by_role("link", name="Opvolging vastleggen"))
    browser.page.get_by_label(f"Contact met {other}").fill(_today("%d-%m-%Y"))
    browser.page.get_by_label("Afgestemd op").fill(_today("%d-%m-%Y"))
    browser.screenshot("11-follow-up")
    browser.click(browser.page.get_by_role("button", name="Opslaan"))
    assert "De opvolging is vastgelegd." in browser.page.content()
    assert "Afgestemd op: nog niet" not in browser.page.content()
    story.done.add("follow-up recorded")


def test_the_coordinator_hands_over_and_the_colleague_accepts_through_the_email_link(world, story, visitors, e2e_stack):
    story.needs("match seen")
    import re

    from .stack import body_text

    match = _the_match()
    coordinator, colleague = (
        ("Anna", "Bram")
        if match.coordinator_signal.professional == world["people"]["anna"]
        else (
            "Bram",
            "Anna",
        )
    )
    colleague_name = {"Anna": "Anna de Vries", "Bram": "Bram Jansen"}[colleague]
    browser = visitors[coordinator]
    browser.goto(reverse("matching:match", args=[match.reference]))
    # the colleague is in the list once
    options = browser.page.get_by_label("Draag de matchregie over aan").locator("option")
    assert [o for o in options.all_inner_texts() if colleague_name in o] and len(
        [o for o in options.all_inner_texts() if colleague_name in o]
    ) == 1
    browser.page.get_by_label("Draag de matchregie over aan").select_option(
        label=next(o for o in options.all_inner_texts() if colleague_name in o)
    )
    browser.click(browser.page.get_by_role("button", name="Overdracht voorstellen"))
    assert "Uw voorstel is verstuurd" in browser.page.content()

    # the colleague's e-mail links to the page with the buttons
    address = world["people"][colleague.lower()].email
    proposal = next(
        m
        for m in e2e_stack.wait_for_mail(address, count=2, timeout=60)
        if "verzoek om matchregisseur te worden" in str(m["Subject"])
    )
    link = re.search(r"https?://\S+/overdracht/", body_text(proposal)).group(0)
    assert match.reference in link
    other = visitors[colleague]
    other.goto(link[link.index("/matches/") :])
    other.screenshot("12-hand-over")
    other.click(other.page.get_by_role("button", name="Matchregie accepteren"))
    assert "U bent nu de matchregisseur" in other.page.content()
    match.refresh_from_db()
    assert match.coordinator_signal.professional == world["people"][colleague.lower()]
    # the e-mail's link, opened again once answered, leads to the match with a word why (not "niet gevonden")
    other.goto(link[link.index("/matches/") :])
    assert other.page.url.endswith(f"/matches/{match.reference}/"), other.page.url
    assert "het verzoek is al afgehandeld of ingetrokken" in other.page.content()
    # the proposer hears the outcome
    mails = e2e_stack.wait_for_mail(world["people"][coordinator.lower()].email, count=2, timeout=60)
    assert any("matchregisseur van match" in str(m["Subject"]) for m in mails)
    story.done.add("handed over")


def test_the_other_professional_finds_and_accepts_a_hand_over_through_the_task_list_by_keyboard(world, story, visitors):
    """The coordinator proposes to hand over; the colleague finds it on the start page and accepts, keyboard only."""
    story.needs("match seen")
    from django.apps import apps

    if "match" not in {model._meta.model_name for model in apps.get_app_config("matching").get_models()}:
        # with one coordinator per youth, a hand-over to the sister's professional shows on none of their pages
        pytest.skip("needs the match object (issue 15): one coordinator per match, shown on every page of the match")
    match = apps.get_model("matching", "Match").objects.select_related("coordinator_signal__professional").get()
    names = {"Anna": "Anna de Vries", "Bram": "Bram Jansen"}
    giver = "Anna" if match.coordinator_signal.professional == world["people"]["anna"] else "Bram"
    taker = "Bram" if giver == "Anna" else "Anna"
    browser = visitors[giver]
    browser.goto(reverse("matching:match", args=[match.reference]))
    choice = browser.page.get_by_label("Draag de matchregie over aan")
    choice.select_option(label=next(o for o in choice.locator("option").all_inner_texts() if names[taker] in o))
    browser.click(browser.page.get_by_role("button", name="Overdracht voorstellen"))

    browser = visitors[taker]
    page = browser.page
    # from wherever the colleague is, by keyboard: the navigation's "Start", then the task on the start page
    browser.tab_to(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Start"))
    browser.press("Enter")
    browser.tab_to(page.get_by_role("link", name="Matchregie aan u voorgesteld"))
    browser.press("Enter")
    browser.screenshot("11b-hand-over-proposed")
    browser.tab_to(page.get_by_role("button", name="Matchregie accepteren"))
    assert browser.focused_visible(), "the accept button shows no focus indicator"
    browser.press("Enter")
    assert "U bent nu de matchregisseur" in page.content(), browser.messages()
    browser.tab_to(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Start"))
    browser.press("Enter")
    assert page.get_by_text("Er wacht geen overdracht op u.").is_visible()
    story.done.add("hand-over accepted through the task list")


def test_municipal_staff_handle_a_parents_inzage_request_and_download_the_pdf(world, story, visitors):
    story.needs("anna placed", "bram placed")
    register_url = feature("rights:request_register", "The citizens' requests pages")
    browser = visitors.open(world["regions"]["haaglanden"], "Gemma")
    browser.login(world["people"]["gemma"], world["devices"]["gemma"])
    page = browser.page
    browser.click(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verzoek registreren"))
    assert page.url.endswith(register_url), page.url
    # "Ontvangen op" starts at today, in the Dutch order its hint gives
    assert page.get_by_label("Ontvangen op").input_value() == _today("%d-%m-%Y")
    assert "dd-mm-jjjj" in page.get_by_text("Dag-maand-jaar").first.inner_text()
    # an empty submit: the error summary on top takes focus and links to each field; the date is kept
    browser.click(page.locator("main form button[type=submit]").first)
    summary = page.locator(".vi-error-summary")
    assert summary.evaluate("(el) => el === document.activeElement"), "the error summary did not take focus"
    assert summary.get_by_role("link", name="Burgerservicenummer van de jeugdige").is_visible()
    assert page.get_by_label("Ontvangen op").input_value() == _today("%d-%m-%Y")
    browser.screenshot("12a-rights-request-errors")
    summary.get_by_role("link", name="Burgerservicenummer van de jeugdige").click()
    assert page.get_by_label("Burgerservicenummer van de jeugdige").evaluate("(el) => el === document.activeElement")
    page.get_by_label("Soort verzoek").select_option(label="Inzage")
    page.get_by_label("Burgerservicenummer van de jeugdige").fill(MAYA_BSN)
    page.get_by_label("Naam verzoeker").fill("Manon Maasland")
    page.get_by_label("Ouder met gezag").check()
    page.get_by_label("Ik heb de identiteit van de verzoeker gecontroleerd").check()
    page.get_by_label("Identiteitsbewijs aan de balie").check()
    browser.screenshot("12-rights-request-register")
    browser.click(page.locator("main form button[type=submit]").first)
    assert "/verzoeken/" in page.url and "/nieuw/" not in page.url, browser.messages()

    browser.click(page.get_by_role("link", name="Overzicht bekijken"))
    assert "Jeugdhulp Utrecht" in page.content(), "the inzage overview does not show the signalling organisation"
    browser.screenshot("13-rights-overview")
    page.go_back()
    browser.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Kopie als PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    assert "Jeugdhulp Utrecht" in text, text[:500]
    story.done.add("inzage handled")


def test_a_process_manager_sees_the_statistics(world, story, visitors):
    story.needs("anna placed", "bram placed")
    statistics_url = feature("reports:statistics", "The statistics page")
    browser = visitors.open(world["regions"]["haaglanden"], "Pieter")
    browser.login(world["people"]["pieter"], world["devices"]["pieter"])
    browser.goto(statistics_url)
    assert browser.page.get_by_role("heading", level=1).is_visible()
    # only two signals in this story: counts under 5 are suppressed, never shown as 1 or 2
    assert "< 5" in browser.page.inner_text("main"), browser.page.inner_text("main")[:800]
    browser.screenshot("14-statistics")
    # a period typed as people write months: this month only, as a month's name, shown back as mm-jjjj
    from django.utils import timezone

    this_month = timezone.localdate().replace(day=1)
    names = "januari februari maart april mei juni juli augustus september oktober november december".split()
    browser.page.get_by_label("Van maand").fill(f"{names[this_month.month - 1]} {this_month.year}")
    browser.page.get_by_label("Tot en met maand").fill(this_month.strftime("%m-%Y"))
    browser.click(browser.page.get_by_role("button", name="Toon"))
    browser.screenshot("14-statistics-period")
    assert browser.page.get_by_label("Van maand").input_value() == this_month.strftime("%m-%Y")
    assert "mm-jjjj" in browser.page.inner_text("main")


def _today(fmt: str = "%Y-%m-%d") -> str:
    from django.utils import timezone

    return timezone.localdate().strftime(fmt)


def _reload_until(browser, url: str, text: str, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while True:
        browser.goto(url)
        if text in browser.page.content():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{browser.name}: {text!r} did not appear on {url} within {timeout}s")
        time.sleep(1)

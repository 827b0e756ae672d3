"""Every page each role reaches from its navigation, at 1280 and 375 px (issue 18).

One region with a day's work in it: a match with a hand-over waiting, a signal whose informing is overdue (a youth
under secrecy, outside the served regions), a signal ending soon, a cover, a professional who left, an objection
waiting for advice and a decision, a match whose follow-up is late. Each person logs in and walks from the start
page and the main navigation through the links on those pages (two steps deep, one page of each kind). Every
page is checked by the Visitor (tests/e2e/browser.py): axe at 0 violations, no page wider than the window, no
overlapping controls, checked radios and checkboxes that look checked, and no municipality or action code where
words belong; screenshots of both widths go to tests/e2e/screenshots/pages/.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import (
    followup_monitor,
    municipal_staff,
    organisation_coordinator,
    process_manager,
    professional,
)
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")

# a download, a page of another kind of document, or leaving: not a page to check
_NOT_A_PAGE = re.compile(r"/pdf/|\.pdf$|\.csv$|/csv/|/export|/api/|/admin/|/dev/|/uitloggen/")
MAX_PAGES_PER_PERSON = 40
DEPTH = 2


@pytest.fixture(scope="module")
def world(e2e_db):
    from accounts.models import Membership, Role
    from matching.coordination import match_handover_propose
    from matching.models import MatchParticipation
    from matching.services import match_detect
    from rights.services import rights_advice_request, rights_request_register
    from signals.models import Cover, Signal
    from signals.services import signal_place

    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    region = RegionFactory(name="Verwijsindex Hart van Holland", slug="rondgang-hart-van-holland")
    municipality = MunicipalityFactory(cbs_code="0484", name="Alphen aan den Rijn", region=region)
    team = OrganisationFactory(region=region, name="Jeugdteam Alphen", sector="social_support")
    school = OrganisationFactory(region=region, name="Het Groene Hart College", sector="education", subtype="school")
    people = {
        "anna": professional(team, user__full_name="Anna de Vries", user__email="anna@jeugdteam.example.nl"),
        "carla": professional(team, user__full_name="Carla Bos", user__email="carla@jeugdteam.example.nl"),
        "bram": professional(school, user__full_name="Bram Jansen", user__email="bram@groenehart.example.nl"),
        "lotte": professional(team, user__full_name="Lotte Weg", user__email="lotte@jeugdteam.example.nl"),
        "olaf": organisation_coordinator(team),
        "pieter": process_manager(region),
        "mona": followup_monitor(region),
        "gemma": municipal_staff(municipality),
    }
    for key, name in (("olaf", "Olaf Coördinator"), ("pieter", "Pieter Procesmanager"), ("mona", "Mona Monitor"),
                      ("gemma", "Gemma Gemeente")):  # fmt: skip
        people[key].full_name = name
        people[key].save()
    devices = {key: TOTPDevice.objects.create(user=user, name="App", confirmed=True) for key, user in people.items()}
    today = timezone.localdate()
    informed = {"status": "informed", "whom": ["parents"], "on": today, "how": "In een gesprek"}

    # a match of Anna and Bram on one child; Anna is the matchregisseur and proposes Bram
    child = YouthFactory(
        bsn="999970021", birth_date=today.replace(year=today.year - 9), municipality_code="0484", town="Alphen"
    )
    anna_signal = signal_place(professional=people["anna"], organisation=team, youth=child, informing=informed)
    bram_signal = signal_place(professional=people["bram"], organisation=school, youth=child, informing=informed)
    for signal in (anna_signal, bram_signal):
        match_detect(signal_id=signal.pk)
    participation = MatchParticipation.objects.select_related("match").get(signal=bram_signal)
    match = participation.match
    # Bram joined three weeks ago and nobody recorded contact: late for the monitor and the matchregisseur
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    MatchParticipation.objects.filter(pk=participation.pk).update(joined_at=three_weeks_ago)
    match.refresh_from_db()
    coordinator = match.coordinator_signal.professional
    other = bram_signal if coordinator == people["anna"] else anna_signal
    match_handover_propose(match=match, actor=coordinator, to_signal_id=other.pk)

    # informing postponed seven weeks ago (the region's default is six), for a youth under secrecy who lives
    # outside the served regions
    secret = YouthFactory(
        birth_date=today.replace(year=today.year - 14), municipality_code="0627", municipality_name="Waddinxveen",
        confidential=True, street="", postcode="", town="",
    )  # fmt: skip
    postponed = signal_place(
        professional=people["anna"],
        organisation=team,
        youth=secret,
        informing={"status": "postponed", "reason": "Eerst een veilige plek voor het gesprek regelen"},
    )
    Signal.objects.filter(pk=postponed.pk).update(informing_recorded_on=today - datetime.timedelta(weeks=7))
    # a signal that ends within the reminder weeks
    ending = signal_place(
        professional=people["anna"],
        organisation=team,
        youth=YouthFactory(birth_date=today.replace(year=today.year - 6), municipality_code="0484"),
        informing=informed,
    )
    Signal.objects.filter(pk=ending.pk).update(ends_on=today + datetime.timedelta(days=10))
    # Carla covers for Anna this week; Lotte left with a signal still active
    Cover.objects.create(
        organisation=team,
        absent=people["anna"],
        covering=people["carla"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=6),
        created_by=people["olaf"],
    )
    signal_place(
        professional=people["lotte"],
        organisation=team,
        youth=YouthFactory(birth_date=today.replace(year=today.year - 11), municipality_code="0484"),
        informing=informed,
    )
    Membership.objects.filter(user=people["lotte"], role=Role.PROFESSIONAL).update(active=False)

    # an objection about the child: registered by the municipality, advice asked of the signal's professionals
    objection = rights_request_register(
        actor=people["gemma"],
        municipality=municipality,
        kind="objection",
        bsn="999970021",
        requester_name="Manon de Vries",
        requester_capacity="parent",
        identity_checked=True,
        identity_check_method="id_document",
        received_on=today,
        description="Zij wil niet dat de school het signaal houdt.",
    )
    rights_advice_request(rights_request=objection, signal_ids=[anna_signal.pk], actor=people["gemma"])
    rights_request_register(
        actor=people["gemma"],
        municipality=municipality,
        kind="inspection",
        bsn="999970021",
        requester_name="Manon de Vries",
        requester_capacity="parent",
        identity_checked=True,
        identity_check_method="id_document",
        received_on=today - datetime.timedelta(days=3),
    )
    return {"region": region, "people": people, "devices": devices, "match": match}


def _page_kind(path: str) -> str:
    """One page of each kind: numbers and references stand for any."""
    return re.sub(r"M-\d+", "M-N", re.sub(r"/\d+/", "/N/", path))


def _links(browser) -> list[str]:
    """The same-site page links of the page's content and main navigation, as paths."""
    hrefs = browser.page.eval_on_selector_all(
        "main a[href], nav[aria-label='Hoofdmenu'] a[href]", "els => els.map(e => e.href)"
    )
    base = urlsplit(browser.page.url)
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if url.scheme not in ("http", "https") or url.netloc != base.netloc or _NOT_A_PAGE.search(url.path):
            continue
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def _walk(browser, depth: int = DEPTH) -> list[str]:
    """Every kind of page reachable from the start page within `depth` clicks, each checked at both widths.

    (test_national_match.py walks a deployment linked to the national hub with it too.)"""
    queue = [("/", 0)]
    seen: set[str] = set()
    visited = []
    while queue and len(visited) < MAX_PAGES_PER_PERSON:
        path, level = queue.pop(0)
        kind = _page_kind(path.split("?", 1)[0])
        if kind in seen:
            continue
        seen.add(kind)
        browser.goto(path)  # checked: axe, widths, overlaps, checked states, words
        visited.append(path)
        if level < depth:
            queue += [(link, level + 1) for link in _links(browser)]
    assert len(visited) < MAX_PAGES_PER_PERSON, f"{browser.name}: more kinds of pages than expected: {visited}"
    return visited


PEOPLE = ["anna", "bram", "carla", "olaf", "pieter", "mona", "gemma"]


@pytest.mark.parametrize("who", PEOPLE)
def test_every_page_a_role_reaches_from_its_navigation_passes_the_checks_at_both_widths(world, visitors, who):
    browser = visitors.open(world["region"], who.capitalize())
    browser.login(world["people"][who], world["devices"][who])
    visited = _walk(browser)
    expected = {
        # the pages issue 18 names, each by the role that reaches it
        "anna": [
            "/brieven/informeren/",
            "/signalen/profiel/",
            "/signalen/waarneming/",
            "/signalen/N/verlengen/",
            "/signalen/N/informeren/",
            "/matches/M-N/",
            "/verzoeken/advies/N/",
        ],
        "bram": ["/matches/M-N/overdracht/", "/matches/M-N/"],
        "carla": ["/signalen/N/"],
        "olaf": ["/signalen/organisatie/waarneming/", "/signalen/organisatie/N/"],
        "pieter": ["/verzoeken/N/", "/statistiek/", "/logboek/", "/regio/beheer/"],
        "mona": ["/matches/monitor/"],
        "gemma": ["/verzoeken/nieuw/", "/verzoeken/N/"],
    }[who]
    kinds = {_page_kind(path.split("?", 1)[0]) for path in visited}
    missing = [kind for kind in expected if kind not in kinds]
    assert not missing, f"{who} did not reach {missing}; visited {visited}"
    print(f"{who}: {len(visited)} pages: {visited}")  # noqa: T201 (shown with -s: what the walk covered)


def test_the_public_page_passes_the_checks_at_both_widths_without_login(world, visitors):
    browser = visitors.open(world["region"], "Ouder")
    browser.goto("/informatie/")
    assert browser.page.get_by_role("heading", level=1).is_visible()

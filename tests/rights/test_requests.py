"""Each kind of request end to end: register (look-up logged, BSN only as pseudonym), inzage/kopie, advice, decision."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import LogEntry
from notifications.models import Notification
from persons.bsn import bsn_pseudonym
from rights.models import AdviceTask, RequestStatus, RightsRequest
from tests.conftest import client_for

from .conftest import YOUTH_BSN, register

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "inspection",
        "bsn": "111 222 333",
        "requester_name": "A. de Vries",
        "requester_capacity": "parent",
        "co_requester_name": "Kim de Vries",
        "identity_checked": "on",
        "identity_check_method": "id_document",
        "received_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


# --- registering -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["inspection", "copy", "correction", "objection"])
def test_staff_register_each_kind_of_request_with_deadline_from_the_region(region, municipality, staff, youth, kind):
    region.request_deadline_days = 28
    region.save()
    response = client_for(staff, region).post(reverse("rights:request_register"), _form(kind=kind))
    rights_request = RightsRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("rights:request_detail", args=[rights_request.pk])
    assert rights_request.kind == kind
    assert rights_request.municipality == municipality
    assert rights_request.deadline == rights_request.received_on + datetime.timedelta(days=28)
    assert rights_request.youth_registered
    assert rights_request.status == RequestStatus.RECEIVED


def test_the_look_up_by_bsn_is_logged_by_pseudonym(region, municipality, staff, youth):
    client_for(staff, region).post(reverse("rights:request_register"), _form())
    lookup = LogEntry.objects.get(action="rights_youth_lookup")
    assert lookup.youth_pseudonym == bsn_pseudonym(YOUTH_BSN)
    assert lookup.actor_id == staff.pk
    assert lookup.region_id == region.pk
    assert lookup.details["found"] is True


def test_the_bsn_is_stored_only_as_pseudonym_and_encrypted(region, municipality, staff, youth):
    client_for(staff, region).post(reverse("rights:request_register"), _form())
    with connection.cursor() as cursor:
        for table in ("rights_rightsrequest", "audit_logentry"):
            cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - fixed table names
            assert all(YOUTH_BSN not in row for (row,) in cursor.fetchall())
    assert RightsRequest.objects.get().youth_pseudonym == bsn_pseudonym(YOUTH_BSN)


def test_staff_see_the_bsn_back_on_the_request(region, municipality, staff, youth):
    rights_request = register(staff, municipality)
    page = client_for(staff, region).get(reverse("rights:request_detail", args=[rights_request.pk]))
    assert YOUTH_BSN in page.content.decode()


def test_invalid_bsn_gets_a_dutch_message_and_keeps_the_input(region, municipality, staff):
    response = client_for(staff, region).post(reverse("rights:request_register"), _form(bsn="123456789"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "geen geldig burgerservicenummer" in html
    assert "A. de Vries" in html
    assert not RightsRequest.objects.exists()


def test_identity_must_be_checked(region, municipality, staff, youth):
    data = _form()
    del data["identity_checked"]
    response = client_for(staff, region).post(reverse("rights:request_register"), data)
    assert "Controleer eerst de identiteit" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_date_received_cannot_be_in_the_future(region, municipality, staff, youth):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(staff, region).post(reverse("rights:request_register"), _form(received_on=tomorrow))
    assert "niet in de toekomst" in response.content.decode()


def test_youth_living_in_another_municipality_is_refused_but_the_look_up_is_logged(
    region, other_municipality, other_staff, youth
):
    response = client_for(other_staff, region).post(reverse("rights:request_register"), _form())
    assert "niet in uw gemeente" in response.content.decode()
    assert not RightsRequest.objects.exists()
    assert LogEntry.objects.filter(action="rights_youth_lookup", actor_id=other_staff.pk).count() == 1


def test_youth_without_signals_is_simply_not_registered(region, municipality, staff):
    rights_request = register(staff, municipality, bsn="123456782")
    page = client_for(staff, region).get(reverse("rights:request_overview", args=[rights_request.pk]))
    assert "staat niets geregistreerd" in page.content.decode()


# --- inzage and kopie ---------------------------------------------------------------------------------------


def test_inspection_shows_active_and_archived_signals_and_the_logbook(
    region, municipality, staff, youth, active_signal, archived_signal
):
    rights_request = register(staff, municipality, kind="inspection")
    page = client_for(staff, region).get(reverse("rights:request_overview", args=[rights_request.pk]))
    html = page.content.decode()
    assert "Het Utrechts Lyceum" in html and "Jeugdzorg Midden" in html
    assert "Actief" in html and "Gearchiveerd" in html
    assert active_signal.professional.full_name in html
    assert "Signaal afgegeven" in html  # the placement from the logbook
    assert YOUTH_BSN not in html
    assert LogEntry.objects.filter(action="rights_overview_viewed", youth_pseudonym=youth.pseudonym).count() == 1


def test_copy_is_a_pdf_with_the_signals_and_the_copy_is_logged(
    region, municipality, staff, youth, active_signal, archived_signal
):
    rights_request = register(staff, municipality, kind="copy")
    response = client_for(staff, region).get(reverse("rights:request_pdf", args=[rights_request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # table cells wrap inside the PDF: compare with the line breaks taken out
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Het Utrechts Lyceum" in text
    assert "Jeugdzorg Midden" in text
    assert active_signal.reference in text
    assert LogEntry.objects.filter(action="rights_copy_issued", youth_pseudonym=youth.pseudonym).count() == 1


def test_inspection_is_completed_by_staff(region, municipality, staff, youth):
    rights_request = register(staff, municipality, kind="inspection")
    client_for(staff, region).post(
        reverse("rights:request_complete", args=[rights_request.pk]),
        {"answered_on": rights_request.received_on.isoformat(), "answered_how": "letter", "confirm": "on"},
    )
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.COMPLETED
    assert rights_request.completed_at is not None
    assert rights_request.answered_how == "letter"


def test_no_overview_for_a_requester_who_may_not_exercise_the_right(region, municipality, staff, youth):
    # the youth (born 2012-03-15) is under 12 on this day: only the representative may ask
    rights_request = register(staff, municipality, capacity="youth", received_on=datetime.date(2024, 3, 14))
    client = client_for(staff, region)
    response = client.get(reverse("rights:request_overview", args=[rights_request.pk]))
    assert response.status_code == 302
    assert client.get(reverse("rights:request_pdf", args=[rights_request.pk])).status_code == 302
    assert not LogEntry.objects.filter(action__in=["rights_overview_viewed", "rights_copy_issued"]).exists()


# --- bezwaar, correctie: advice and decision ---------------------------------------------------------------


def _ask_advice(client, rights_request, *signals):
    return client.post(
        reverse("rights:request_advice", args=[rights_request.pk]), {"signals": [str(s.pk) for s in signals]}
    )


def test_objection_asks_the_reporting_professionals_for_advice_by_task_and_email(
    region, municipality, staff, youth, active_signal, archived_signal
):
    region.advice_days = 10
    region.save()
    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal, archived_signal)
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.ADVICE_REQUESTED
    tasks = AdviceTask.objects.order_by("signal_id")
    assert [t.professional for t in tasks] == [active_signal.professional, archived_signal.professional]
    assert all(t.due_on == timezone.localdate() + datetime.timedelta(days=10) for t in tasks)
    mails = Notification.objects.filter(kind="rights_advice_requested")
    assert {m.recipient for m in mails} == {active_signal.professional, archived_signal.professional}
    assert all(YOUTH_BSN not in str(m.context) + m.subject for m in mails)


def test_asking_advice_without_choosing_a_signal_gets_a_message(region, municipality, staff, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection")
    client = client_for(staff, region)
    response = client.post(reverse("rights:request_advice", args=[rights_request.pk]), {}, follow=True)
    assert "Kies ten minste één signaal" in response.content.decode()
    assert not AdviceTask.objects.exists()


def test_professional_gives_advice_on_the_own_task(region, municipality, staff, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    task = AdviceTask.objects.get()
    client = client_for(active_signal.professional, region)
    assert active_signal.reference in client.get(reverse("rights:advice_list")).content.decode()
    response = client.post(
        reverse("rights:advice_detail", args=[task.pk]), {"advice": "keep", "advice_text": "Terecht afgegeven."}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.advice == "keep" and task.given_at is not None
    assert (
        "Terecht afgegeven."
        in client_for(staff, region).get(reverse("rights:request_detail", args=[rights_request.pk])).content.decode()
    )


def test_advice_without_a_choice_gets_a_dutch_message(region, municipality, staff, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    task = AdviceTask.objects.get()
    response = client_for(active_signal.professional, region).post(
        reverse("rights:advice_detail", args=[task.pk]), {"advice_text": "x"}
    )
    assert "Kies uw advies" in response.content.decode()


def test_rejected_objection_is_recorded_and_the_signal_stays(
    region, municipality, staff, manager, youth, active_signal
):
    from signals.models import Signal

    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    response = client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]),
        {"decision": "rejected", "reason": "Het signaal is terecht afgegeven.", "confirm": "on"},
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.REJECTED
    assert rights_request.decision_reason == "Het signaal is terecht afgegeven."
    assert rights_request.decided_by == manager
    assert Signal.objects.filter(pk=active_signal.pk).exists()
    assert LogEntry.objects.filter(action="rights_request_decided", details__upheld=False).exists()


def test_a_decision_needs_a_written_reason(region, municipality, staff, manager, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    response = client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]),
        {"decision": "upheld", "reason": " ", "confirm": "on"},
    )
    assert "Schrijf op waarom u zo besluit" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.ADVICE_REQUESTED


@pytest.mark.parametrize(("kind", "end_reason"), [("objection", "objection_upheld"), ("correction", "correction")])
def test_upheld_request_destroys_the_signals_concerned_and_tells_their_professionals(
    region, municipality, staff, manager, youth, active_signal, archived_signal, kind, end_reason
):
    pytest.importorskip("signals.services", reason="signal_end is built by the signals helper")
    from signals.models import Signal

    rights_request = register(staff, municipality, kind=kind)
    _ask_advice(client_for(staff, region), rights_request, active_signal, archived_signal)
    response = client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]),
        {"decision": "upheld", "reason": "De verzoeker heeft gelijk.", "confirm": "on"},
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.UPHELD
    # destroyed, not archived: the rows are gone
    assert not Signal.objects.filter(pk__in=[active_signal.pk, archived_signal.pk]).exists()
    told = Notification.objects.filter(kind="rights_decision_upheld")
    assert {n.recipient for n in told} == {active_signal.professional, archived_signal.professional}
    # the logbook keeps the history, by signal id and pseudonym only
    assert LogEntry.objects.filter(signal_id=active_signal.pk, action="signal_placed").exists()
    destroyed = LogEntry.objects.filter(signal_id=active_signal.pk).exclude(action__startswith="rights_")
    assert destroyed.filter(details__reason=end_reason).exists()
    call_command("logbook_verify")


# --- deadlines and reminders -------------------------------------------------------------------------------


def test_queue_flags_overdue_requests_only_after_the_deadline(region, municipality, staff, youth):
    region.request_deadline_days = 28
    region.save()
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        rights_request = register(staff, municipality, kind="objection")
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC)):  # the deadline itself
        page = client_for(staff, region).get(reverse("rights:queue"))
        assert rights_request.reference in page.content.decode()
        assert "Termijn verstreken" not in page.content.decode()
    with time_machine.travel(datetime.datetime(2026, 2, 3, 12, tzinfo=datetime.UTC)):  # the day after
        page = client_for(staff, region).get(reverse("rights:queue"))
        assert "Termijn verstreken" in page.content.decode()
        detail = client_for(staff, region).get(reverse("rights:request_detail", args=[rights_request.pk]))
        assert "De termijn van dit verzoek is verstreken" in detail.content.decode()


def test_overdue_requests_are_reminded_once_by_email(region, municipality, staff, manager, youth):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        rights_request = register(staff, municipality, kind="objection")
    deadline = rights_request.deadline
    call_command("rights_remind_overdue", as_of=deadline.isoformat())
    assert not Notification.objects.filter(kind="rights_request_overdue").exists()
    call_command("rights_remind_overdue", as_of=(deadline + datetime.timedelta(days=1)).isoformat())
    call_command("rights_remind_overdue", as_of=(deadline + datetime.timedelta(days=2)).isoformat())
    reminded = Notification.objects.filter(kind="rights_request_overdue")
    assert {n.recipient for n in reminded} == {staff, manager}
    assert reminded.count() == 2


def test_closed_requests_are_not_reminded(region, municipality, staff, manager, youth):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        rights_request = register(staff, municipality, kind="inspection")
    rights_request.status = RequestStatus.COMPLETED
    rights_request.save()
    call_command("rights_remind_overdue", as_of="2026-06-01")
    assert not Notification.objects.filter(kind="rights_request_overdue").exists()


def test_overdue_advice_tasks_are_reminded_once(region, municipality, staff, youth, active_signal):
    region.advice_days = 10
    region.save()
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        rights_request = register(staff, municipality, kind="objection")
        _ask_advice(client_for(staff, region), rights_request, active_signal)
    call_command("rights_remind_overdue", as_of="2026-01-15")
    assert not Notification.objects.filter(kind="rights_advice_overdue").exists()
    call_command("rights_remind_overdue", as_of="2026-01-16")
    call_command("rights_remind_overdue", as_of="2026-01-17")
    reminder = Notification.objects.get(kind="rights_advice_overdue")
    assert reminder.recipient == active_signal.professional


def test_reminder_task_takes_an_as_of_date(region, municipality, staff, youth):
    from rights.tasks import remind_overdue_task

    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        register(staff, municipality, kind="copy")
    assert remind_overdue_task("2026-01-06") == (0, 0)
    assert remind_overdue_task("2026-03-01") == (1, 0)
    assert remind_overdue_task("2026-03-02") == (0, 0)


def test_upheld_objection_removes_the_signals_match_references_and_keeps_the_others(
    region, municipality, staff, manager, youth, active_signal, care
):
    from matching.models import Match, MatchKey, MatchLink, MatchParticipation
    from matching.services import match_detect
    from signals.models import Signal

    from .factories import SignalFactory

    other = SignalFactory(youth=youth, organisation=care)
    third = SignalFactory(youth=youth, organisation=care)
    for signal in (active_signal, other, third):
        match_detect(signal_id=signal.pk)
    assert MatchLink.objects.filter(signal_a=active_signal).exists()

    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]),
        {"decision": "upheld", "reason": "Onterecht, volgens de verzoeker en de school.", "confirm": "on"},
    )

    assert not Signal.objects.filter(pk=active_signal.pk).exists()
    refs = MatchLink.objects.filter(signal_a_id=active_signal.pk) | MatchLink.objects.filter(
        signal_b_id=active_signal.pk
    )
    assert not refs.exists()
    assert not MatchKey.objects.filter(signal_id=active_signal.pk).exists()
    assert not Match.objects.filter(coordinator_signal_id=active_signal.pk).exists()
    assert not MatchParticipation.objects.filter(signal_id=active_signal.pk).exists()
    # the match between the two remaining signals is untouched
    assert MatchLink.objects.filter(signal_a=min(other.pk, third.pk), signal_b=max(other.pk, third.pk)).exists()
    remaining = Match.objects.get(participations__signal=other)
    assert remaining.coordinator_signal_id in (other.pk, third.pk)
    assert set(remaining.participations.values_list("signal_id", flat=True)) == {other.pk, third.pk}

"""Signals on an unborn child (issue 20, docs/adr/0030-unborn-children.md): place, match, birth, no birth, who sees."""

import datetime
import json

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse

from audit.models import LogEntry
from matching.models import MatchKey, MatchKind, MatchLink, MatchParticipation
from notifications.models import Notification
from persons.models import Youth
from persons.services import youth_by_bsn, youths_refresh
from signals.exceptions import ExpectedBirthDateRefused, UnbornNotAllowed
from signals.lifecycle import lifecycle_run
from signals.models import Signal
from signals.selectors import tasks_of_professional
from signals.services import signal_place, signal_place_lookup
from signals.unborn import unborn_place_lookup
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.notifications.conftest import celery_eager  # noqa: F401 - fixture
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

# Manon Maasland, born 1 February 1988, living in 's-Gravenhage; her child 999999151 (Mirthe, 2015) is in the test set
MOTHER = "999999126"
MOTHER_BORN = datetime.date(1988, 2, 1)
CHILD = "999999151"
CHILD_BORN = datetime.date(2015, 2, 1)
NEWBORN = "999990020"  # passes the elfproef, not in the shipped test set
TODAY = datetime.date(2027, 3, 1)
EXPECTED = datetime.date(2027, 6, 15)
INFORMED = {"status": "informed", "whom": ["parents"], "on": TODAY, "how": "in een gesprek"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def haaglanden(db, brp_embedded):
    region = RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden", unborn_signals_allowed=True)
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    return region


@pytest.fixture
def midwife(haaglanden):
    return professional(OrganisationFactory(region=haaglanden, name="Verloskundigen Centrum"))


@pytest.fixture
def youth_worker(haaglanden):
    return professional(OrganisationFactory(region=haaglanden, name="Jeugdhulp Haaglanden"))


@pytest.fixture
def detect(celery_eager, django_capture_on_commit_callbacks):  # noqa: F811
    """Run what placing queues after its commit (match detection) at once."""

    def _run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                return fn(**kwargs)

    return _run


def place_unborn(user, *, detect, expected=EXPECTED, as_of=None, mother_born=MOTHER_BORN):
    organisation = user.memberships.get().organisation
    unborn = unborn_place_lookup(
        professional=user,
        organisation=organisation,
        bsn=MOTHER,
        mother_birth_date=mother_born,
        expected_birth_date=expected,
    )
    return detect(
        signal_place,
        professional=user,
        organisation=organisation,
        youth=unborn,
        informing=INFORMED,
        expected_birth_date=expected,
        as_of=as_of,
    )


def place_on_child(user, *, detect):
    organisation = user.memberships.get().organisation
    child = signal_place_lookup(professional=user, organisation=organisation, bsn=CHILD, birth_date=CHILD_BORN)
    informing = {**INFORMED, "whom": ["youth", "parents"]}  # she is 12
    return detect(signal_place, professional=user, organisation=organisation, youth=child, informing=informing)


def match_of(signal):
    return MatchParticipation.objects.get(signal=signal).match_id


@pytest.fixture
def register_with_newborn(settings, tmp_path):
    """A temporary copy of the test set in which the mother had a child on `born` (the shipped file is untouched)."""

    def _write(born: datetime.date):
        records = json.loads(open(django_settings.BRP_TEST_DATA, encoding="utf-8").read())
        mother = next(record for record in records if record.get("burgerservicenummer") == MOTHER)
        birth = {"datum": born.strftime("%Y%m%d")}
        mother.setdefault("kinderen", []).append(
            {
                "burgerservicenummer": NEWBORN,
                "naam": {"voornamen": "Noor", "geslachtsnaam": "Maasland"},
                "geboorte": birth,
            }
        )
        records.append(
            {
                "burgerservicenummer": NEWBORN,
                "naam": {"voornamen": "Noor", "geslachtsnaam": "Maasland"},
                "geboorte": birth,
                "verblijfplaats": mother["verblijfplaats"],
                "gemeenteVanInschrijving": mother["gemeenteVanInschrijving"],
                "ouders": [{"burgerservicenummer": MOTHER, "ouderAanduiding": "1"}],
            }
        )
        path = tmp_path / "brp-with-newborn.json"
        path.write_text(json.dumps(records))
        settings.BRP_TEST_DATA = str(path)

    return _write


def test_unborn_signal_is_on_the_unborn_child_of_the_mother_with_the_expected_date(midwife, detect):
    signal = place_unborn(midwife, detect=detect)

    assert signal.youth.is_unborn
    assert signal.youth.full_name == "ongeboren kind van Manon Maasland"
    assert signal.expected_birth_date == EXPECTED
    mother = Youth.objects.get(pseudonym=signal.youth.unborn_mother_pseudonym)
    assert signal.youth.parent_pseudonyms == [mother.pseudonym]
    assert signal.youth.bag_pseudonym == mother.bag_pseudonym
    # looked up as a youth is: the mother's BSN counts toward the professional's look-up limit and is logged
    assert LogEntry.objects.filter(action="brp_lookup", actor_id=midwife.pk, youth_pseudonym=mother.pseudonym).exists()


def test_unborn_signal_matches_a_signal_on_her_other_child_through_the_mother(midwife, youth_worker, detect):
    unborn_signal = place_unborn(midwife, detect=detect)
    child_signal = place_on_child(youth_worker, detect=detect)

    assert match_of(unborn_signal) == match_of(child_signal)
    # through the mother as a shared parent, and her address (the region matches on addresses)
    links = MatchLink.objects.all()
    assert {link.kind for link in links} == {MatchKind.FAMILY, MatchKind.ADDRESS}
    assert all({link.signal_a_id, link.signal_b_id} == {unborn_signal.pk, child_signal.pk} for link in links)
    # no youth key that another youth's signal could share: its own row's, and its mother's (for a signal on her)
    youth_keys = set(MatchKey.objects.filter(signal=unborn_signal, kind="youth").values_list("value", flat=True))
    mother = Youth.objects.get(pseudonym=unborn_signal.youth.unborn_mother_pseudonym)
    assert youth_keys == {str(unborn_signal.youth_id), str(mother.pk)}
    # the midwife's match e-mail names the unborn child as such, without the mother's BSN or full name
    mail = json.dumps(Notification.objects.filter(recipient=midwife).latest("pk").context)
    assert '"youth_unborn": true' in mail and MOTHER not in mail and "Manon" not in mail


def test_two_professionals_on_one_pregnancy_share_the_unborn_child(midwife, youth_worker, detect):
    one = place_unborn(midwife, detect=detect)
    other = place_unborn(youth_worker, detect=detect)

    assert one.youth_id == other.youth_id
    assert MatchLink.objects.filter(kind=MatchKind.SAME_YOUTH).count() == 1


def test_unborn_signal_matches_a_signal_on_the_mother_herself_under_23(
    midwife, youth_worker, detect, settings, tmp_path
):
    # a mother of 19: a copy of the test set in which Manon was born in 2008
    records = json.loads(open(django_settings.BRP_TEST_DATA, encoding="utf-8").read())
    mother = next(record for record in records if record.get("burgerservicenummer") == MOTHER)
    mother["geboorte"]["datum"] = "20080201"
    path = tmp_path / "young-mother.json"
    path.write_text(json.dumps(records))
    settings.BRP_TEST_DATA = str(path)
    organisation = youth_worker.memberships.get().organisation
    young = signal_place_lookup(
        professional=youth_worker, organisation=organisation, bsn=MOTHER, birth_date=datetime.date(2008, 2, 1)
    )
    on_mother = detect(
        signal_place,
        professional=youth_worker,
        organisation=organisation,
        youth=young,
        informing={**INFORMED, "whom": ["youth"]},
    )
    unborn_signal = place_unborn(midwife, detect=detect, mother_born=datetime.date(2008, 2, 1))

    assert match_of(unborn_signal) == match_of(on_mother)
    assert MatchLink.objects.filter(kind=MatchKind.FAMILY).exists()


def test_the_refresh_moves_the_signal_to_the_newborn_and_tells_the_professional(
    midwife, youth_worker, detect, register_with_newborn, django_capture_on_commit_callbacks
):
    unborn_signal = place_unborn(midwife, detect=detect)
    child_signal = place_on_child(youth_worker, detect=detect)
    unborn_id = unborn_signal.youth_id
    register_with_newborn(datetime.date(2027, 6, 3))

    with time_machine.travel(datetime.datetime(2027, 6, 10, 1, 30, tzinfo=datetime.UTC), tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            youths_refresh(as_of=datetime.date(2027, 6, 10))

    moved = Signal.objects.select_related("youth").get(pk=unborn_signal.pk)
    newborn = youth_by_bsn(bsn=NEWBORN)
    assert moved.youth_id == newborn.pk and not moved.youth.is_unborn
    assert moved.born_moved_on == datetime.date(2027, 6, 10)
    assert moved.reference == unborn_signal.reference
    assert not Youth.objects.filter(pk=unborn_id).exists()
    mail = Notification.objects.get(kind="signal_unborn_born")
    assert mail.recipient_id == midwife.pk
    assert MOTHER not in json.dumps(mail.context) and "Manon" not in json.dumps(mail.context)
    assert LogEntry.objects.filter(
        action="signal_unborn_born", signal_id=moved.pk, youth_pseudonym=newborn.pseudonym
    ).exists()
    # matches recomputed: the keys are the newborn's own, and the sibling's signal is still in the same match
    assert ("youth", str(newborn.pk)) in set(MatchKey.objects.filter(signal=moved).values_list("kind", "value"))
    assert match_of(moved) == match_of(child_signal)


def test_a_child_born_long_before_the_expected_date_is_not_the_unborn_child(midwife, detect, register_with_newborn):
    unborn_signal = place_unborn(midwife, detect=detect)
    register_with_newborn(datetime.date(2026, 1, 10))  # an older child, not this pregnancy

    youths_refresh(as_of=datetime.date(2027, 3, 2))

    assert Signal.objects.get(pk=unborn_signal.pk).youth.is_unborn


def test_without_a_birth_the_professional_is_asked_and_the_signal_then_ends_by_itself(midwife, detect, haaglanden):
    signal = place_unborn(midwife, detect=detect)
    asked_on = EXPECTED + datetime.timedelta(weeks=haaglanden.unborn_overdue_weeks)

    assert lifecycle_run(as_of=asked_on - datetime.timedelta(days=1))["unborn_overdue"] == 0
    assert lifecycle_run(as_of=asked_on)["unborn_overdue"] == 1
    assert Notification.objects.filter(kind="signal_unborn_overdue", recipient=midwife).count() == 1
    tasks = tasks_of_professional(user=midwife, as_of=asked_on)
    assert [task.kind for task in tasks] == ["unborn_overdue"]
    assert lifecycle_run(as_of=asked_on + datetime.timedelta(days=1))["unborn_overdue"] == 0  # asked once

    ends_on = asked_on + datetime.timedelta(weeks=haaglanden.unborn_end_weeks)
    assert lifecycle_run(as_of=ends_on - datetime.timedelta(days=1))["unborn_ended"] == 0
    assert lifecycle_run(as_of=ends_on)["unborn_ended"] == 1
    assert not Signal.objects.filter(pk=signal.pk).exists()
    assert LogEntry.objects.filter(action="signal_destroyed", signal_id=signal.pk).exists()


def test_a_new_expected_date_starts_the_waiting_over(midwife, detect, haaglanden):
    from signals.unborn import signal_expected_date_update

    signal = place_unborn(midwife, detect=detect)
    asked_on = EXPECTED + datetime.timedelta(weeks=haaglanden.unborn_overdue_weeks)
    lifecycle_run(as_of=asked_on)
    with time_machine.travel(datetime.datetime(2027, 7, 14, 10, 0, tzinfo=datetime.UTC), tick=True):
        signal_expected_date_update(signal=signal, actor=midwife, expected_birth_date=datetime.date(2027, 8, 1))
    assert lifecycle_run(as_of=asked_on + datetime.timedelta(weeks=haaglanden.unborn_end_weeks))["unborn_ended"] == 0
    assert Signal.objects.get(pk=signal.pk).unborn_overdue_notified_on is None


def test_a_region_that_does_not_allow_it_refuses(midwife, haaglanden, detect):
    haaglanden.unborn_signals_allowed = False
    haaglanden.save()

    with pytest.raises(UnbornNotAllowed):
        place_unborn(midwife, detect=detect)
    assert not LogEntry.objects.filter(action="brp_lookup").exists()  # refused before the BRP is asked
    client = client_for(midwife, haaglanden)
    assert client.get(reverse("signals:place_unborn")).status_code == 404


def test_an_expected_date_outside_the_sane_window_is_refused(midwife, detect):
    with pytest.raises(ExpectedBirthDateRefused):
        place_unborn(midwife, detect=detect, expected=TODAY - datetime.timedelta(weeks=6))
    with pytest.raises(ExpectedBirthDateRefused):
        place_unborn(midwife, detect=detect, expected=TODAY + datetime.timedelta(weeks=50))


def test_the_browser_flow_places_an_unborn_signal_without_the_bsn_on_any_page(midwife, haaglanden):
    client = client_for(midwife, haaglanden)
    page = client.get(reverse("signals:place"))
    assert reverse("signals:place_unborn").encode() in page.content

    response = client.post(
        reverse("signals:place_unborn"),
        {"bsn": MOTHER, "birth_date": "1988-02-01", "expected_birth_date": EXPECTED.isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    confirm = client.get(reverse("signals:place_confirm"))
    assert b"ongeboren kind van Manon Maasland" in confirm.content
    assert MOTHER.encode() not in confirm.content
    client.post(reverse("signals:place_confirm"))
    client.post(reverse("signals:place_profile"), {"weighed": "on"})
    response = client.post(
        reverse("signals:place_informing"),
        {"status": "informed", "whom": ["parents"], "on": TODAY.isoformat(), "how": "in een gesprek"},
    )
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert signal.expected_birth_date == EXPECTED and signal.youth.is_unborn
    detail = client.get(reverse("signals:detail", args=[signal.pk]))
    assert b"ongeboren kind van Manon Maasland" in detail.content and MOTHER.encode() not in detail.content


def test_another_organisation_cannot_see_the_unborn_signal(midwife, youth_worker, haaglanden, detect):
    signal = place_unborn(midwife, detect=detect)
    other = client_for(youth_worker, haaglanden)

    assert other.get(reverse("signals:detail", args=[signal.pk])).status_code == 404
    assert other.get(reverse("signals:expected_date", args=[signal.pk])).status_code == 404
    assert (
        other.post(
            reverse("signals:expected_date", args=[signal.pk]), {"expected_birth_date": "2027-07-01"}
        ).status_code
        == 404
    )
    assert Signal.objects.get(pk=signal.pk).expected_birth_date == EXPECTED


def test_a_matched_colleague_sees_no_name_of_the_mother(midwife, youth_worker, haaglanden, detect):
    place_unborn(midwife, detect=detect)
    child_signal = place_on_child(youth_worker, detect=detect)
    from matching.selectors import match_of_signal_seen

    view = match_of_signal_seen(child_signal)
    labels = [participant.youth_label for participant in view.participants]
    assert "ongeboren kind in het gezin" in labels
    assert not any("Manon" in label for label in labels)


def test_the_mothers_inzage_shows_the_signal_on_her_unborn_child(midwife, detect, haaglanden):
    from regions.models import Municipality
    from rights.models import IdentityCheckMethod, RequesterCapacity, RequestKind
    from rights.selectors import youth_overview
    from rights.services import rights_request_register
    from tests.accounts.factories import municipal_staff

    signal = place_unborn(midwife, detect=detect)
    Youth.objects.filter(unborn_mother_pseudonym="").delete()  # her own look-up row is gone the next day
    municipality = Municipality.objects.get(cbs_code="0518")
    request = rights_request_register(
        actor=municipal_staff(municipality),
        municipality=municipality,
        kind=RequestKind.INSPECTION,
        bsn=MOTHER,
        requester_name="Manon Maasland",
        requester_capacity=RequesterCapacity.PARENT,
        identity_checked=True,
        identity_check_method=IdentityCheckMethod.ID_DOCUMENT,
        received_on=TODAY,
    )

    assert request.youth_registered
    assert [found.pk for found in youth_overview(rights_request=request)["signals"]] == [signal.pk]


def test_the_haal_centraal_client_reads_the_mothers_children(brp):
    from persons.brp import get_client

    mother = get_client().person(MOTHER)

    assert (CHILD, "20150201") in mother.children

"""Placing, detecting, ending, transferring, handing over and recording follow-up, run against each other on one
family from parallel connections: no deadlock, no foreign-key error for a partner destroyed meanwhile, and the
matches end consistent (the lock order of docs/adr/0001-the-match.md, kept by every path)."""

import random
import threading
import time
from collections import defaultdict

import pytest
from django.db import connection
from django.utils import timezone

from matching.exceptions import MatchActionRefused
from matching.models import Match, MatchLink, MatchParticipation
from matching.services import match_detect, match_follow_up_record, match_handover_propose
from signals.exceptions import SignalRefused
from signals.models import EndReason, Signal, SignalStatus
from signals.services import signal_end, signal_place, signal_transfer
from tests.accounts.factories import professional
from tests.matching.conftest import brp_youth, haaglanden  # noqa: F401 - shared fixtures
from tests.notifications.conftest import celery_eager  # noqa: F401 - shared fixture
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import informed

pytestmark = [pytest.mark.django_db(transaction=True)]

FAMILY = ("999970021", "999970033", "999970045", "999999151")
ROUNDS = 3


def _place(youth, organisation, user):
    return signal_place(
        professional=user, organisation=organisation, youth=youth, informing=informed(timezone.localdate())
    )


def _run_together(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except (SignalRefused, MatchActionRefused):
            pass  # a refusal with a message is an answer, not a failure (e.g. the signal ended meanwhile)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _assert_consistent():
    """Every link's ends share a match; each match is connected; its coordinator is one of its active signals."""
    match_of = dict(MatchParticipation.objects.values_list("signal_id", "match_id"))
    links = list(MatchLink.objects.values_list("signal_a_id", "signal_b_id"))
    for a, b in links:
        assert match_of.get(a) is not None and match_of[a] == match_of.get(b), (a, b)
    members = defaultdict(set)
    for signal_id, match_id in match_of.items():
        members[match_id].add(signal_id)
    active = set(Signal.objects.filter(status=SignalStatus.ACTIVE).values_list("pk", flat=True))
    for match in Match.objects.all():
        signals = members[match.pk]
        assert len(signals) >= 2, match.reference
        reached, todo = set(), [min(signals)]
        while todo:
            pk = todo.pop()
            if pk not in reached:
                reached.add(pk)
                todo += [b for a, b in links if a == pk] + [a for a, b in links if b == pk]
        assert reached == signals, f"{match.reference} is not connected"
        if signals & active:
            assert match.coordinator_signal_id in signals & active, match.reference
        else:
            assert match.coordinator_signal_id is None


def test_every_write_path_against_each_other_on_one_family(celery_eager, brp_youth, haaglanden):  # noqa: F811
    rng = random.Random(15)
    youths = [brp_youth(bsn) for bsn in FAMILY]
    organisations = [OrganisationFactory(region=haaglanden) for _ in range(6)]
    people = {org.pk: [professional(org) for _ in range(4)] for org in organisations}
    for number in range(8):
        organisation = organisations[number % len(organisations)]
        _place(youths[number % len(youths)], organisation, people[organisation.pk][0])

    for round_number in range(ROUNDS):
        active = list(Signal.objects.filter(status=SignalStatus.ACTIVE).select_related("organisation", "professional"))
        rng.shuffle(active)
        match = Match.objects.exclude(coordinator_signal=None).select_related("coordinator_signal").first()
        jobs = []
        # placing (and, after its commit, detecting) new signals on every child
        for number, youth in enumerate(youths):
            organisation = organisations[(number + round_number) % len(organisations)]
            user = people[organisation.pk][1 + round_number]
            jobs.append(lambda y=youth, o=organisation, u=user: _place(y, o, u))
        # ending: archived and destroyed (the destroyed one's partners are being linked at this moment)
        for signal, reason in zip(
            active[:3], (EndReason.CONCERN_GONE, EndReason.PLACED_WRONGLY, EndReason.PLACED_WRONGLY), strict=False
        ):
            jobs.append(lambda s=signal, r=reason: signal_end(signal=s, reason=r, actor=s.professional))
        # transferring a signal to a colleague
        moving = active[3]
        colleague = next(p for p in people[moving.organisation_id] if p != moving.professional)
        jobs.append(lambda s=moving, c=colleague: signal_transfer(signal=s, to_professional=c, actor=s.professional))
        # detection run again for a signal (the sweep) and the coordinator's own work on the match
        jobs.append(lambda s=active[4]: match_detect(signal_id=s.pk))
        if match is not None:
            coordinator = match.coordinator_signal
            other = next((s for s in active[5:] if s.professional_id != coordinator.professional_id), None)
            if other is not None:
                jobs.append(
                    lambda m=match, c=coordinator, o=other: match_handover_propose(
                        match=m, actor=c.professional, to_signal_id=o.pk
                    )
                )
            jobs.append(
                lambda m=match, c=coordinator: match_follow_up_record(
                    match=m, actor=c.professional, contacts={}, coordination_agreed_on=timezone.localdate()
                )
            )
        errors = _run_together(jobs)
        assert errors == [], [repr(error) for error in errors]
        _assert_consistent()
    assert Match.objects.exists()


def test_a_detection_that_waited_while_its_partners_joined_a_match_joins_that_match(brp_youth, haaglanden):  # noqa: F811
    """Issue 24's soak: two detections with no match key in common both link one partner. The second reads the
    partner's participation with the partner's row lock, in one statement; it waited for that lock while the first
    put the partner into a match, and PostgreSQL rechecks the locked row but not the joined participation. It then
    inserted a second participation (a unique violation; the detection failed until the sweep). Here the first
    detection is played by a transaction that holds the partner's row and puts the partners into a match."""
    youth, sibling = brp_youth(FAMILY[0]), brp_youth(FAMILY[1])
    organisations = [OrganisationFactory(region=haaglanden) for _ in range(3)]
    partner = _place(youth, organisations[0], professional(organisations[0]))
    assert match_detect(signal_id=partner.pk) == []  # alone: its keys are stored, no match yet
    other = _place(sibling, organisations[1], professional(organisations[1]))
    newcomer = _place(youth, organisations[2], professional(organisations[2]))  # no worker here: not yet detected
    holding, committed = threading.Event(), threading.Event()

    def first_detection():
        from django.db import transaction

        try:
            with transaction.atomic():
                Signal.objects.select_for_update(no_key=True).get(pk=partner.pk)
                holding.set()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:  # until the detection below waits for the partner's row
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND datname = current_database()"
                        )
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.05)
                match = Match.objects.create()
                for signal in (partner, other):
                    MatchParticipation.objects.create(match=match, signal=signal)
                MatchLink.objects.create(signal_a_id=partner.pk, signal_b_id=other.pk, kind="family")
        finally:
            committed.set()
            connection.close()

    thread = threading.Thread(target=first_detection)
    thread.start()
    assert holding.wait(30)
    errors = _run_together([lambda: match_detect(signal_id=newcomer.pk)])
    thread.join(60)
    assert committed.is_set()
    assert errors == [], [repr(error) for error in errors]
    match_of = dict(MatchParticipation.objects.values_list("signal_id", "match_id"))
    assert match_of[newcomer.pk] == match_of[partner.pk] == match_of[other.pk]
    assert Match.objects.count() == 1
    _assert_consistent()


def test_an_end_holding_its_signal_does_not_block_a_commit_that_refers_to_it(brp_youth, haaglanden):  # noqa: F811
    """Issue 24's remaining deadlocks (4 in the 10-minute soak, answered 503): an end held its signal FOR UPDATE
    (step 2) and waited for a Match row (step 3) that a detection held, whose COMMIT checked its deferred foreign
    key to that signal (the match's coordinator) and so waited for the end. Step 2 now locks signals FOR NO KEY
    UPDATE everywhere, which a foreign-key check (FOR KEY SHARE) does not wait for; a destruction takes the
    stronger lock only with its DELETE, after the Match rows. Here the end is held just after step 2 (in an
    ending hook that runs before matching's) while another transaction makes the signal a match's coordinator."""
    from django.db import transaction

    from signals import hooks

    organisation = OrganisationFactory(region=haaglanden)
    ending = _place(brp_youth(FAMILY[0]), organisation, professional(organisation))
    match = Match.objects.create()
    holding, release = threading.Event(), threading.Event()

    def hold(signals, reason):
        holding.set()
        release.wait(30)

    hooks.ending_batch._handlers.insert(0, hold)  # before every other handler, matching's first among them
    try:
        errors = []
        thread = threading.Thread(
            target=lambda: errors.extend(
                _run_together([lambda: signal_end(signal=ending, reason=EndReason.CONCERN_GONE)])
            )
        )
        thread.start()
        assert holding.wait(30)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                Match.objects.filter(pk=match.pk).update(coordinator_signal=ending)
            committed = True  # the deferred foreign-key check at COMMIT did not wait for the end
        finally:
            release.set()
            thread.join(60)
    finally:
        hooks.ending_batch.unregister(hold)
    assert committed and errors == []
    assert Signal.objects.get(pk=ending.pk).status == SignalStatus.ARCHIVED

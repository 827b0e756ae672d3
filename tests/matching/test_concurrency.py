"""Twenty signals on one family placed at the same moment from parallel connections end in the same result
as placing them one by one, and every professional gets exactly the e-mails they should."""

import threading
from collections import Counter, defaultdict

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from matching.models import Match, MatchKey, MatchLink
from notifications.models import Notification, NotificationKind
from regions.models import CoordinatorRule, Sector, Subtype
from signals.models import Signal
from signals.services import signal_place
from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import informed

pytestmark = [pytest.mark.django_db(transaction=True)]

# mother 999999126 and her four children (two fathers): siblings and half-siblings at one dwelling
FAMILY = ("999970021", "999970033", "999970045", "999999151")
SIGNALS = 20


@pytest.fixture
def family_setup(brp_youth, haaglanden):
    # one youth health care signal in the family decides the one coordinator whatever the order of placement
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.YOUTH_HEALTH_CARE)
    youths = [brp_youth(bsn) for bsn in FAMILY]
    plan = []
    for number in range(SIGNALS):
        youth_health = number == 0
        organisation = OrganisationFactory(
            region=haaglanden,
            sector=Sector.YOUTH_HEALTH_CARE if youth_health else Sector.YOUTH_CARE,
            subtype=Subtype.GGD if youth_health else Subtype.YOUTH_CARE_PROVIDER,
        )
        plan.append((youths[number % len(FAMILY)], organisation, professional(organisation)))
    return plan


def _place(youth, organisation, user):
    return signal_place(
        professional=user, organisation=organisation, youth=youth, informing=informed(timezone.localdate())
    )


def _result():
    """The outcome in terms that do not depend on ids: links by professional, coordinators, e-mail mentions."""
    email_of = {s.pk: s.professional.email for s in Signal.objects.select_related("professional")}
    links = {
        (link.kind, frozenset((email_of[link.signal_a_id], email_of[link.signal_b_id])))
        for link in MatchLink.objects.all()
    }
    # one match for the whole family, with one coordinator
    coordinators = [email_of[row.coordinator_signal_id] for row in Match.objects.all()]
    assert len(coordinators) == 1
    mentions: dict[str, Counter] = defaultdict(Counter)
    for notification in Notification.objects.filter(kind=NotificationKind.MATCH).select_related("recipient"):
        assert notification.sent_at is not None
        for match in notification.context["matches"]:
            for other in match["others"]:
                mentions[notification.recipient.email][email_of[other["signal_id"]]] += 1
    return links, coordinators, mentions


def _partners(links) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = defaultdict(set)
    for _kind, pair in links:
        a, b = tuple(pair)
        partners[a].add(b)
        partners[b].add(a)
    return partners


def _assert_everyone_heard_of_each_partner_exactly_once(links, mentions):
    partners = _partners(links)
    assert set(mentions) == set(partners)
    for email, counter in mentions.items():
        assert set(counter) == partners[email], email
        assert set(counter.values()) == {1}, f"{email} heard of a partner twice"
    # every outbox row went out once: as many e-mails as sent rows, none twice
    sent = Notification.objects.filter(sent_at__isnull=False).count()
    assert len(mail.outbox) == sent
    assert not Notification.objects.filter(sent_at__isnull=True, held_for_digest=False).exists()
    per_recipient = Counter(tuple(message.to) for message in mail.outbox)
    assert sum(per_recipient.values()) == sent


def _reset():
    MatchLink.objects.all().delete()
    MatchKey.objects.all().delete()
    Match.objects.all().delete()
    Notification.objects.all().delete()
    Signal.objects.all().delete()
    mail.outbox.clear()


def test_twenty_signals_on_one_family_placed_in_parallel_equal_placing_them_one_by_one(celery_eager, family_setup):
    for youth, organisation, user in family_setup:
        _place(youth, organisation, user)
    sequential_links, sequential_coordinators, sequential_mentions = _result()
    # all 190 pairs match: same youth, or family + address for the half- and full siblings
    assert len({pair for _kind, pair in sequential_links}) == SIGNALS * (SIGNALS - 1) // 2
    _assert_everyone_heard_of_each_partner_exactly_once(sequential_links, sequential_mentions)

    _reset()
    barrier = threading.Barrier(SIGNALS)
    errors = []

    def worker(youth, organisation, user):
        try:
            barrier.wait(timeout=30)
            _place(youth, organisation, user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=spec) for spec in family_setup]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Signal.objects.count() == SIGNALS

    links, coordinators, mentions = _result()
    assert links == sequential_links
    assert coordinators == sequential_coordinators
    _assert_everyone_heard_of_each_partner_exactly_once(links, mentions)
    assert {email: set(counter) for email, counter in mentions.items()} == {
        email: set(counter) for email, counter in sequential_mentions.items()
    }


def test_a_partner_ended_while_detection_runs_is_left_out_without_an_integrity_error(haaglanden, monkeypatch):
    """Issue 16 finding 9: a signal destroyed (placed wrongly) between detection finding it and writing the link
    made `match_detect` fail on the foreign key. Detection locks the rows of both ends and leaves the gone one out."""
    from matching import detection
    from signals.models import EndReason
    from signals.services import signal_end
    from tests.persons.factories import YouthFactory
    from tests.signals.factories import SignalFactory

    youth = YouthFactory()
    partner = SignalFactory(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    detection.match_detect(signal_id=partner.pk)  # its keys are stored: the next signal on the youth finds it
    newcomer = SignalFactory(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    errors, ended = [], threading.Event()

    def end_partner():
        try:
            signal_end(signal=Signal.objects.get(pk=partner.pk), reason=EndReason.PLACED_WRONGLY, actor=None)
            ended.set()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    links_wanted = detection._links_wanted

    def partner_ends_meanwhile(signal, partners, rows):
        assert partner.pk in partners  # detection has found it ...
        ender = threading.Thread(target=end_partner)
        ender.start()
        ender.join(timeout=10)  # ... and another session destroys it and commits before the links are written
        return links_wanted(signal, partners, rows)

    monkeypatch.setattr(detection, "_links_wanted", partner_ends_meanwhile)
    assert detection.match_detect(signal_id=newcomer.pk) == []
    assert errors == [] and ended.is_set()
    assert not Signal.objects.filter(pk=partner.pk).exists()
    assert not MatchLink.objects.exists()

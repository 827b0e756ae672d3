"""One detection costs a fixed number of database statements, however many stored signals it matches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import Match, MatchKey, MatchLink
from matching.services import match_detect
from notifications.models import Notification, NotificationKind
from signals.models import Signal
from tests.matching.factories import SignalFactory
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SIBLING_1, SIBLING_2 = "999970033", "999970045"  # both parents 999999126 + 999999163, same dwelling

# load the signal, lock its keys, find the partners, lock the signal rows of both ends, write keys and links (5);
# the match: lock its row, join it (the newcomer's participation, one statement however many merge), read its
# active signals with their region's rules (3; a fourth when the coordinator or region changes, not here); the
# colleagues covering for the professionals in the e-mails (1, issue 19); the outbox (1); the statistics: counters
# (1); the logbook: one insert, chained after the commit (1, ADR 0002). The two around them are the savepoint of
# match_detect's transaction inside the test's own transaction.
DETECTION_BUDGET = 16  # 14 today: 2 + 12


def _detect_new_signal_among(stored: int, brp_youth, region) -> tuple[int, list, int]:
    """`stored` detected signals on two siblings; then the statements, new links and outbox rows of one more."""
    for model in (MatchLink, MatchKey, Match, Notification, Signal):
        model.objects.all().delete()
    youths = [brp_youth(SIBLING_1), brp_youth(SIBLING_2)]
    for number in range(stored):
        match_detect(
            signal_id=SignalFactory(youth=youths[number % 2], organisation=OrganisationFactory(region=region)).pk
        )
    new = SignalFactory(youth=youths[0], organisation=OrganisationFactory(region=region))
    outbox = Notification.objects.filter(kind=NotificationKind.MATCH).count()
    with CaptureQueriesContext(connection) as statements:
        links = match_detect(signal_id=new.pk)

    return len(statements), links, Notification.objects.filter(kind=NotificationKind.MATCH).count() - outbox


def test_detection_takes_the_same_statements_with_2_or_8_matching_signals(brp_youth, haaglanden):
    few, few_links, few_mails = _detect_new_signal_among(2, brp_youth, haaglanden)
    many, many_links, many_mails = _detect_new_signal_among(8, brp_youth, haaglanden)

    # same youth with each signal on it; family and address with each signal on the sibling
    assert (len(few_links), len(many_links)) == (1 + 2, 4 + 2 * 4)
    assert (few_mails, many_mails) == (1 + 2, 1 + 8)  # the newcomer and every partner, once each
    assert few == many <= DETECTION_BUDGET

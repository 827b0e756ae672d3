"""My matches and the match page send a fixed number of queries, however many matches and participants."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.services import match_detect
from signals.models import EndReason
from signals.services import signal_end
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

# the queries of a page with no matches at all may be fewer; these are the most a page may send
MY_MATCHES_BUDGET = 13
MATCH_PAGE_BUDGET = 14


def _matched_signals(user, organisation, count, partners=2):
    """`count` own signals, each in a match with colleagues on the same youth and one (archived) on a sibling."""
    own_signals = []
    for number in range(count):
        parent = f"8{user.pk:04d}{number:04d}"  # a family of its own
        youth = YouthFactory(parent_bsns=(parent,), bag_id="")
        sibling = YouthFactory(parent_bsns=(parent,), bag_id="")
        own = SignalFactory(youth=youth, professional=user, organisation=organisation)
        others = [
            SignalFactory(youth=youth, organisation=organisation, contact_name=f"Collega {number}.{n}")
            for n in range(partners)
        ]
        archived = SignalFactory(youth=sibling, organisation=organisation, contact_name=f"Zus-collega {number}")
        for signal in (own, *others, archived):
            match_detect(signal_id=signal.pk)
        signal_end(signal=archived, reason=EndReason.CONCERN_GONE, actor=archived.professional)
        own_signals.append(own)
    return own_signals


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_my_matches_sends_as_many_queries_for_two_matches_as_for_ten(region, organisation):
    few, many = professional(organisation), professional(organisation)
    _matched_signals(few, organisation, 2)
    _matched_signals(many, organisation, 10)
    SignalFactory(professional=many, organisation=organisation)  # a signal without matches is left out

    client_few, client_many = client_for(few, region), client_for(many, region)
    _queries(client_few, reverse("matching:my_matches"))  # the first request warms caches (sessions, region)
    _queries(client_many, reverse("matching:my_matches"))
    count_few, html_few = _queries(client_few, reverse("matching:my_matches"))
    count_many, html_many = _queries(client_many, reverse("matching:my_matches"))

    assert count_few == count_many <= MY_MATCHES_BUDGET
    for number in range(10):
        assert f"Collega {number}.1," in html_many and f"Zus-collega {number}," in html_many
    assert html_many.count("gearchiveerd)") == 10 and ") (gearchiveerd)" not in html_many  # one pair of brackets


def test_the_match_page_sends_as_many_queries_for_three_participants_as_for_twelve(region, organisation):
    user = professional(organisation)
    (few,) = _matched_signals(user, organisation, 1, partners=1)
    (many,) = _matched_signals(user, organisation, 1, partners=10)
    client = client_for(user, region)
    client.get(reverse("home"))  # the first request after login stores when the user was last seen
    from matching.selectors import match_of_signal

    count_few, _ = _queries(client, reverse("matching:match", args=[match_of_signal(few).reference]))
    count_many, html = _queries(client, reverse("matching:match", args=[match_of_signal(many).reference]))
    assert count_few == count_many <= MATCH_PAGE_BUDGET
    assert all(f"Collega 0.{n}" in html for n in range(10))

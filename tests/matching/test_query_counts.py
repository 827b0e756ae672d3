"""My matches and the matches of one signal send a fixed number of queries, however many matches there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import MatchCoordinator, MatchKind, MatchLink
from matching.selectors import MATCHES_PER_SIGNAL, SIGNALS_PER_PAGE
from signals.models import SignalStatus
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

# the queries of a page with no matches at all may be fewer; these are the most a page may send
MY_MATCHES_BUDGET = 13
SIGNAL_MATCHES_BUDGET = 16


def _link(one, other, kind):
    low, high = sorted((one, other), key=lambda s: s.pk)
    MatchLink.objects.create(signal_a=low, signal_b=high, kind=kind)


def _matched_signals(user, organisation, count):
    """`count` own signals, each matched with a colleague's signal on the same youth and one on a sibling."""
    own_signals = []
    for number in range(count):
        youth, sibling = YouthFactory(), YouthFactory()
        own = SignalFactory(youth=youth, professional=user, organisation=organisation)
        same = SignalFactory(youth=youth, organisation=organisation, contact_name=f"Collega {number}")
        other = SignalFactory(
            youth=sibling, organisation=organisation, contact_name=f"Zus-collega {number}", status=SignalStatus.ARCHIVED
        )
        _link(own, same, MatchKind.SAME_YOUTH)
        _link(own, other, MatchKind.FAMILY)
        _link(own, other, MatchKind.ADDRESS)
        MatchCoordinator.objects.create(youth=youth, signal=same)
        MatchCoordinator.objects.create(youth=sibling, signal=other)
        own_signals.append(own)
    return own_signals


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_my_matches_sends_as_many_queries_for_two_matched_signals_as_for_ten(region, organisation):
    few, many = professional(organisation), professional(organisation)
    _matched_signals(few, organisation, 2)
    _matched_signals(many, organisation, 10)
    SignalFactory(professional=many, organisation=organisation)  # a signal without matches is left out

    client_few, client_many = client_for(few, region), client_for(many, region)
    # marked as seen (a POST: opening the page changes nothing), so nothing shows as new
    client_few.post(reverse("matching:my_matches"))
    client_many.post(reverse("matching:my_matches"))
    count_few, html_few = _queries(client_few, reverse("matching:my_matches"))
    count_many, html_many = _queries(client_many, reverse("matching:my_matches"))

    assert count_few == count_many <= MY_MATCHES_BUDGET
    # every match is on the page: per own signal the colleague on the same youth and the one on the sibling
    for number in range(10):
        assert f"Collega {number}<" in html_many and f"Zus-collega {number}<" in html_many
    assert "Collega 2<" not in html_few
    assert html_many.count("Broer of zus (gedeelde ouder), Zelfde woonadres") == 10


def test_matches_of_one_signal_send_as_many_queries_for_one_match_as_for_many(region, organisation):
    user = professional(organisation)
    own_few = _matched_signals(user, organisation, 1)[0]
    own_many = SignalFactory(professional=user, organisation=organisation)
    for number in range(8):
        partner = SignalFactory(organisation=organisation, contact_name=f"Partner {number}")
        _link(own_many, partner, MatchKind.ADDRESS)
        MatchCoordinator.objects.create(youth=partner.youth, signal=partner)

    client = client_for(user, region)
    client.get(reverse("home"))  # the first request after login stores when the user was last seen
    count_few, _ = _queries(client, reverse("matching:signal_matches", args=[own_few.pk]))
    count_many, html = _queries(client, reverse("matching:signal_matches", args=[own_many.pk]))

    assert count_few == count_many <= SIGNAL_MATCHES_BUDGET
    assert all(f"Partner {number} (" in html for number in range(8))  # each partner also as its youth's coordinator


def test_my_matches_pages_signals_and_shows_only_the_newest_matches_of_a_busy_signal(region, organisation):
    user = professional(organisation)
    own_signals = _matched_signals(user, organisation, SIGNALS_PER_PAGE + 2)
    busy = own_signals[0]
    for number in range(MATCHES_PER_SIGNAL):
        other = SignalFactory(youth=busy.youth, organisation=organisation, contact_name=f"Drukte {number}")
        _link(busy, other, MatchKind.SAME_YOUTH)
    client = client_for(user, region)
    url = reverse("matching:my_matches")
    client.post(url)  # marked as seen: nothing shows as new

    _, first = _queries(client, url)
    count_second, second = _queries(client, f"{url}?pagina=2")
    _, beyond = _queries(client, f"{url}?pagina=99")  # out of range: the last page, not an error

    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second and "Pagina 2 van 2" in beyond
    assert 'href="?pagina=2"' in first and 'href="?pagina=1"' in second
    assert count_second <= MY_MATCHES_BUDGET
    shown = [sum(f"Signaal {s.reference}<" in html for s in own_signals) for html in (first, second)]
    assert shown == [SIGNALS_PER_PAGE, 2]
    busy_page = first if f"Signaal {busy.reference}<" in first else second
    assert f"De {MATCHES_PER_SIGNAL} nieuwste van {MATCHES_PER_SIGNAL + 2} matches." in busy_page
    # the newest ten are shown; the oldest match (the colleague on the same youth) is on the signal's own page
    assert "Drukte 9<" in busy_page and "Drukte 0<" in busy_page and "Collega 0<" not in busy_page

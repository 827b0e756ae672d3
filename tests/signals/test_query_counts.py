"""The pages the HTTP benchmark drives send as many queries for few signals and matches as for many, within a budget.

A budget, not an exact number: a page that gains a read stays green while it does not grow with the data.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchKind, MatchLink
from signals.models import Signal
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

# session, user, second-factor device, memberships (the region of the host is kept per process)
TRIVIAL_PAGE_BUDGET = 5
# the above; the professional's task list (verwijsindex/start.py): the last visit of "My matches" and that
# selector's own reads (the user's match ids, the page's matches and their signals), a proposed hand-over, the
# follow-ups due as matchregisseur, open advice requests, one read for signals that expire soon or whose informing
# is due (signals.selectors.tasks_of_professional), and the cover periods by or for the user
START_PAGE_BUDGET = 15  # 13 today
# the above; the signal; the logbook entry (one insert, no lock: it is chained after the commit, ADR 0002); its
# match count
SIGNAL_PAGE_BUDGET = 9
PLACE_POST_BUDGET = 25


def _signals_with_matches(user, organisation, count):
    signals = []
    for _ in range(count):
        own = SignalFactory(professional=user, organisation=organisation)
        for _ in range(2):
            other = SignalFactory(organisation=organisation)
            low, high = sorted((own, other), key=lambda s: s.pk)
            MatchLink.objects.create(signal_a=low, signal_b=high, kind=MatchKind.ADDRESS)
        signals.append(own)
    return signals


def _count(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return len(queries), response, [q["sql"] for q in queries.captured_queries]


def test_trivial_page_stays_within_its_budget_and_does_not_write_the_session_on_every_request(region, organisation):
    user = professional(organisation)
    _signals_with_matches(user, organisation, 3)
    client = client_for(user, region)
    client.get(reverse("home"))  # the first request after login stores when the user was last seen

    count, response, statements = _count(lambda: client.get(reverse("signals:place")))

    assert response.status_code == 200
    assert count <= TRIVIAL_PAGE_BUDGET
    assert not [sql for sql in statements if "UPDATE" in sql]


def test_start_page_sends_as_many_queries_with_one_signal_as_with_many(region, organisation):
    few, many = professional(organisation), professional(organisation)
    _signals_with_matches(few, organisation, 1)
    _signals_with_matches(many, organisation, 12)
    client_few, client_many = client_for(few, region), client_for(many, region)
    client_few.get(reverse("home"))
    client_many.get(reverse("home"))

    count_few, response_few, statements = _count(lambda: client_few.get(reverse("home")))
    count_many, response_many, _ = _count(lambda: client_many.get(reverse("home")))

    assert response_few.status_code == response_many.status_code == 200
    assert count_few == count_many <= START_PAGE_BUDGET
    assert not [sql for sql in statements if "UPDATE" in sql]


def test_signal_page_sends_as_many_queries_with_one_signal_as_with_many(region, organisation):
    few, many = professional(organisation), professional(organisation)
    one = _signals_with_matches(few, organisation, 1)[0]
    busy = _signals_with_matches(many, organisation, 12)[5]
    client_few, client_many = client_for(few, region), client_for(many, region)
    client_few.get(reverse("home"))
    client_many.get(reverse("home"))

    count_few, response_few, _ = _count(lambda: client_few.get(reverse("signals:detail", args=[one.pk])))
    count_many, response_many, _ = _count(lambda: client_many.get(reverse("signals:detail", args=[busy.pk])))

    assert response_few.status_code == response_many.status_code == 200
    assert count_few == count_many <= SIGNAL_PAGE_BUDGET
    assert response_many.context["match_count"] == 2


def _place(client, youth, organisation):
    session = client.session
    session["signal_place"] = {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": 4}
    session.save()
    return _count(
        lambda: client.post(
            reverse("signals:place_informing"),
            {"status": "informed", "whom": ["parents"], "on": timezone.localdate().isoformat(), "how": "gesprek"},
        )
    )


def test_placing_sends_as_many_queries_for_a_new_professional_as_for_a_busy_one(region, organisation):
    new, busy = professional(organisation), professional(organisation)
    _signals_with_matches(busy, organisation, 12)
    youth = YouthFactory(birth_date=datetime.date(2016, 3, 1))

    client_new, client_busy = client_for(new, region), client_for(busy, region)
    client_new.get(reverse("home"))
    client_busy.get(reverse("home"))

    count_new, response_new, _ = _place(client_new, youth, organisation)
    count_busy, response_busy, _ = _place(client_busy, youth, organisation)

    assert response_new.status_code == response_busy.status_code == 302
    assert Signal.objects.filter(youth=youth).count() == 2
    assert count_new == count_busy <= PLACE_POST_BUDGET

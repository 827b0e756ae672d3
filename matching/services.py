"""The writes of matching, by concern (docs/adr/0001-the-match.md):

- detection.py: keys, locks, links and the match they form (merge, split);
- coordination.py: the one coordinator per match, hand-over and follow-up;
- emails.py: what the e-mails say; monitor.py: the region's follow-up monitor.

This module keeps the visit of "My matches" and names the public services in one place.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .coordination import (
    match_follow_up_record,
    match_handover_accept,
    match_handover_decline,
    match_handover_propose,
    match_signals_ending,
)
from .detection import match_detect, matches_detect_pending, matches_redetect_youth, signal_match_keys
from .models import MatchOverviewVisit

__all__ = [
    "match_detect",
    "match_follow_up_record",
    "match_handover_accept",
    "match_handover_decline",
    "match_handover_propose",
    "match_overview_visited",
    "match_signals_ending",
    "matches_detect_pending",
    "matches_redetect_youth",
    "signal_match_keys",
]


def match_overview_visited(*, user, as_of: datetime | None = None) -> datetime | None:
    """Record that the professional has seen "My matches" (a POST: opening the page changes nothing); returns the
    previous mark."""
    as_of = as_of or timezone.now()
    with transaction.atomic():
        visit = MatchOverviewVisit.objects.select_for_update().filter(user=user).first()
        if visit is None:
            MatchOverviewVisit.objects.create(user=user, visited_at=as_of)
            return None
        previous = visit.visited_at
        visit.visited_at = as_of
        visit.save(update_fields=["visited_at"])
        return previous

"""Reads of matching. Professionals only ever see the matches of their own signals."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Q

from signals.models import Signal, SignalStatus

from .models import MatchCoordinator, MatchFollowUp, MatchKind, MatchLink

_RELATED = ("youth", "organisation", "professional")
# what a page or the API shows of a matched signal (and of a youth's coordinator): never the youth itself
_CONTACT_FIELDS = ("youth", "professional", "placed_at", "status", "contact_name", "contact_email", "contact_phone")


def match_counts_for_signals(signal_ids) -> dict[int, int]:
    """Per signal: the number of other signals it matches (a pair with two kinds counts once)."""
    ids = set(signal_ids)
    partners: dict[int, set[int]] = defaultdict(set)
    links = MatchLink.objects.filter(Q(signal_a__in=ids) | Q(signal_b__in=ids))
    for a, b in links.values_list("signal_a_id", "signal_b_id"):
        if a in ids:
            partners[a].add(b)
        if b in ids:
            partners[b].add(a)
    return {pk: len(partners.get(pk, ())) for pk in ids}


def own_signal(*, user, region, signal_id: int) -> Signal | None:
    """The user's own signal placed through an organisation of this region, or None (the view answers 404)."""
    return (
        Signal.objects.select_related(*_RELATED, "organisation__region")
        .filter(pk=signal_id, professional=user, organisation__region=region)
        .first()
    )


def coordinator_of_youth(youth_id: int) -> MatchCoordinator | None:
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "signal__professional", "proposed_signal")
        .filter(youth_id=youth_id)
        .first()
    )


@dataclass
class MatchedSignal:
    """One signal matched with the viewer's signal, as the viewer may see it (never the other youth)."""

    signal: Signal
    kinds: list[str]
    since: datetime
    coordinator: Signal | None = None
    is_new: bool = False

    @property
    def is_active(self) -> bool:
        return self.signal.status == SignalStatus.ACTIVE


def matches_of_signal(*, user, signal: Signal) -> list[MatchedSignal]:
    """The signals matched with this signal of the user, each with kinds, since when and its youth's coordinator."""
    if signal.professional_id != user.pk:
        return []
    return _matches_of_signals([signal.pk]).get(signal.pk, [])


def _links_grouped(signal_ids) -> dict[int, dict[int, dict]]:
    """Per own signal id that has matches: {other signal id: {"kinds": [...], "since": first link}} (one query)."""
    ids = set(signal_ids)
    labels = {kind: str(label) for kind, label in MatchKind.choices}
    links = (
        MatchLink.objects.filter(Q(signal_a__in=ids) | Q(signal_b__in=ids))
        .order_by("created_at", "id")
        .values_list("signal_a_id", "signal_b_id", "kind", "created_at")
    )
    grouped: dict[int, dict[int, dict]] = defaultdict(dict)
    for signal_a, signal_b, kind, created_at in links:
        for own, other in ((signal_a, signal_b), (signal_b, signal_a)):
            if own in ids:
                entry = grouped[own].setdefault(other, {"kinds": [], "since": created_at})
                entry["kinds"].append(labels[kind])
    return grouped


def _matched_rows(grouped: dict[int, dict[int, dict]]) -> dict[int, list[MatchedSignal]]:
    """The matched signals of `grouped` with their organisation and their youth's coordinator (two queries)."""
    if not grouped:
        return {}
    # the matched signals show their professional's contact details and organisation, never their youth
    others = {
        other.pk: other
        for other in Signal.objects.filter(pk__in={pk for entries in grouped.values() for pk in entries})
        .select_related("organisation")
        .only(*_CONTACT_FIELDS, "organisation__name")
    }
    coordinators = {
        row.youth_id: row.signal
        for row in MatchCoordinator.objects.filter(youth_id__in={other.youth_id for other in others.values()})
        .select_related("signal__organisation")
        .only("youth", *(f"signal__{name}" for name in _CONTACT_FIELDS), "signal__organisation__name")
    }
    result = {}
    for own, entries in grouped.items():
        rows = [
            MatchedSignal(
                signal=others[pk],
                kinds=entry["kinds"],
                since=entry["since"],
                coordinator=coordinators.get(others[pk].youth_id),
            )
            for pk, entry in entries.items()
            if pk in others
        ]
        rows.sort(key=lambda row: (row.since, row.signal.pk))
        result[own] = rows
    return result


def _matches_of_signals(signal_ids) -> dict[int, list[MatchedSignal]]:
    """Per signal id that has matches: its matched signals, oldest match first.

    Three queries however many signals and matches: the links, the matched signals with their
    organisation, and the coordinators of their youths. Callers check that the ids are the viewer's own.
    """
    return _matched_rows(_links_grouped(signal_ids))


@dataclass
class SignalMatches:
    signal: Signal
    matches: list[MatchedSignal] = field(default_factory=list)
    # how many matches the signal has in all; `matches` may hold only the newest of them
    total: int = 0

    @property
    def new_count(self) -> int:
        return sum(1 for match in self.matches if match.is_new)

    @property
    def more(self) -> bool:
        return self.total > len(self.matches)


@dataclass
class MyMatches:
    rows: list[SignalMatches]
    page: Page
    new_count: int


# "My matches" shows this many signals per page and per signal this many of its newest matches (the rest on
# the signal's own match page), so the page stays the same size for a professional with hundreds of matches
SIGNALS_PER_PAGE = 10
MATCHES_PER_SIGNAL = 10


def match_overview_last_visit(*, user) -> datetime | None:
    """When the user last marked "My matches" as seen (None: never); what is newer is shown as new."""
    from .models import MatchOverviewVisit

    return MatchOverviewVisit.objects.filter(user=user).values_list("visited_at", flat=True).first()


def my_matches(*, user, region, seen_before: datetime | None, page_number=None) -> MyMatches:
    """One page of the user's own signals in this region that have matches; matches since `seen_before` are new.

    A fixed number of queries, however many signals and matches the user has: the user's signals, their
    links, and the matched signals and coordinators of the rows on this page only.
    """

    def is_new(since: datetime) -> bool:
        return seen_before is None or since > seen_before

    signals = list(
        Signal.objects.filter(professional=user, organisation__region=region)
        .select_related("youth")
        .only("placed_at", "status", "youth__first_names", "youth__name_prefix", "youth__surname")
        .order_by("-placed_at", "-id")
    )
    grouped = _links_grouped([s.pk for s in signals])
    page = Paginator([s for s in signals if s.pk in grouped], SIGNALS_PER_PAGE).get_page(page_number)
    shown = {}
    for signal in page:
        newest = sorted(grouped[signal.pk].items(), key=lambda item: (item[1]["since"], item[0]))
        shown[signal.pk] = dict(newest[-MATCHES_PER_SIGNAL:])
    rows_by_signal = _matched_rows(shown)
    rows = []
    for signal in page:
        matches = rows_by_signal.get(signal.pk, [])
        for match in matches:
            match.is_new = is_new(match.since)
        rows.append(SignalMatches(signal=signal, matches=matches, total=len(grouped[signal.pk])))
    new_count = sum(1 for entries in grouped.values() for entry in entries.values() if is_new(entry["since"]))
    return MyMatches(rows=rows, page=page, new_count=new_count)


def coordinator_participants(*, coordinator: MatchCoordinator) -> list[Signal]:
    """Active signals in the youth's matches (on the youth itself and linked to its signals)."""
    from .services import _participants

    return _participants(coordinator.youth_id)


def coordinator_for_coordinator(*, user, region, coordinator_id: int) -> MatchCoordinator | None:
    """The coordinator row if this user holds the role through a signal of an organisation of this region."""
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "signal__youth", "proposed_signal", "youth")
        .filter(
            pk=coordinator_id,
            signal__professional=user,
            signal__status=SignalStatus.ACTIVE,
            signal__organisation__region=region,
        )
        .first()
    )


def coordinator_for_proposed(*, user, region, coordinator_id: int) -> MatchCoordinator | None:
    """The coordinator row if the role was proposed to this user's signal in this region."""
    return (
        MatchCoordinator.objects.select_related("signal__organisation", "proposed_signal")
        .filter(pk=coordinator_id, proposed_signal__professional=user, proposed_signal__organisation__region=region)
        .first()
    )


def follow_up_of_youth(youth_id: int) -> MatchFollowUp | None:
    return MatchFollowUp.objects.filter(youth_id=youth_id).select_related("recorded_by").first()

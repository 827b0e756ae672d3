"""Reads of matching. A professional sees only the matches their own signals are in, as their signals allow.

What a professional may see of a match (docs/adr/0001-the-match.md):
- with an active signal in it: every participation, archived ones labelled "gearchiveerd" (history);
- with only archived signals in it: the match as it was when their last signal was archived; nothing later.
Youths: the youth of their own signal by name; any other youth only as "broer/zus" (or "zelfde adres") with
the year of birth; never a BSN.
"""

import re
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signals.models import Signal, SignalStatus
from signals.selectors import cover_names_subquery, covered_professionals

from . import hooks
from .models import Match, MatchLink, MatchOverviewVisit, MatchParticipation, match_reference

ACTIVE = SignalStatus.ACTIVE
REFERENCE = re.compile(r"^M-(\d{6,18})$")
_PARTICIPANT_RELATED = ("youth", "organisation", "professional", "match_participation")


def match_counts_for_signals(signal_ids) -> dict[int, int]:
    """Per signal: the number of other signals it matches (a pair with two kinds counts once).

    An archived signal counts only the links made before it was archived: its professional sees nothing that
    arises after the archiving, not even as a number in their list of signals.
    """
    ids = set(signal_ids)
    ended = dict(Signal.objects.filter(pk__in=ids).exclude(status=ACTIVE).values_list("pk", "ended_at"))
    partners: dict[int, set[int]] = defaultdict(set)
    links = MatchLink.objects.filter(Q(signal_a__in=ids) | Q(signal_b__in=ids))
    for a, b, created_at in links.values_list("signal_a_id", "signal_b_id", "created_at"):
        for own, other in ((a, b), (b, a)):
            end = ended.get(own)
            if own in ids and (end is None or created_at <= end):
                partners[own].add(other)
    return {pk: len(partners.get(pk, ())) for pk in ids}


def match_id_of_reference(reference: str) -> int | None:
    found = REFERENCE.match(reference or "")
    return int(found.group(1)) if found else None


def participants_of(match: Match) -> list[Signal]:
    """The match's active signals, one per professional (their earliest), in placement order."""
    seen = set()
    result = []
    for signal in (
        Signal.objects.filter(match_participation__match=match, status=ACTIVE)
        .select_related(*_PARTICIPANT_RELATED)
        .order_by("placed_at", "id")
    ):
        if signal.professional_id not in seen:
            seen.add(signal.professional_id)
            result.append(signal)
    return result


def match_of_signal(signal: Signal) -> Match | None:
    participation = MatchParticipation.objects.filter(signal=signal).select_related("match").first()
    return participation.match if participation else None


def own_signal(*, user, region, signal_id: int) -> Signal | None:
    """The user's own signal placed through an organisation of this region, or None (the view answers 404)."""
    return (
        Signal.objects.select_related("youth", "organisation__region", "professional")
        .filter(pk=signal_id, professional=user, organisation__region=region)
        .first()
    )


# --- one match as a professional sees it ----------------------------------------------------------------------


@dataclass
class Participant:
    signal: Signal
    youth_label: str
    is_own: bool
    is_coordinator: bool
    # the follow-up is for those still at work in the match; a viewer whose signals are archived sees none of it
    follow_up_shown: bool = True
    # another youth than the viewer's own (a "broer/zus"): its year of birth, to tell the siblings apart
    youth_birth_year: int | None = None

    @property
    def is_archived(self) -> bool:
        return self.signal.status != ACTIVE

    @property
    def joined_at(self) -> datetime:
        return self.signal.match_participation.joined_at

    @property
    def contact_made_on(self):
        return self.signal.match_participation.contact_made_on if self.follow_up_shown else None

    @property
    def cover_names(self) -> list[str]:
        """The colleagues covering today for this participant (waarneming); none for an archived signal (history)."""
        if self.is_archived:
            return []
        return [name for name in getattr(self.signal, "cover_names", None) or [] if name]


@dataclass
class YouthShown:
    label: str
    birth_year: int
    is_own: bool


@dataclass
class MatchView:
    match: Match
    own: list[Signal]
    participants: list[Participant]
    youths: list[YouthShown]
    coordinator: Signal | None
    # the viewer holds an active signal in the match (else: their view stops at their archiving)
    viewer_active: bool
    proposed: Signal | None = None
    new_since: datetime | None = None
    # the national match this match is part of (federation): its reference and coordinator elsewhere
    national: hooks.NationalPart | None = None
    # the professionals of other deployments' indexes in the national match, as this viewer may see them
    remote: list[hooks.RemoteMember] = field(default_factory=list)
    # the coordinator is a professional outside this match (another index): their contact details
    coordinator_elsewhere: dict | None = None

    @property
    def reference(self) -> str:
        return self.match.reference

    @property
    def national_reference(self) -> str:
        return self.national.reference if self.national is not None else ""

    @property
    def coordinator_contact(self) -> dict | None:
        """The one coordinator as every page and API answer names them: a signal here, or one elsewhere."""
        if self.coordinator is not None:
            return {
                "name": self.coordinator.contact_name,
                "organisation": self.coordinator.organisation.name,
                "email": self.coordinator.contact_email,
                "phone": self.coordinator.contact_phone,
                "elsewhere": False,
            }
        if self.coordinator_elsewhere is not None:
            return {**self.coordinator_elsewhere, "elsewhere": True}
        return None

    @property
    def coordination_agreed_on(self):
        """The date coordination was agreed, for a viewer still active in the match (as on the page)."""
        return self.match.coordination_agreed_on if self.viewer_active else None

    @property
    def is_coordinator(self) -> bool:
        return self.coordinator is not None and any(s.pk == self.coordinator.pk for s in self.own)

    @property
    def proposed_to_viewer(self) -> bool:
        return self.proposed is not None and any(s.pk == self.proposed.pk for s in self.own)

    @property
    def others(self) -> list[Participant]:
        return [p for p in self.participants if not p.is_own]

    @property
    def new_count(self) -> int:
        if self.new_since is None:
            return len(self.others)
        return sum(1 for p in self.others if p.joined_at > self.new_since)

    def is_new(self, participant: Participant) -> bool:
        return self.new_since is None or participant.joined_at > self.new_since


def _youth_label(youth, own_youths) -> str:
    if any(youth.pk == own.pk for own in own_youths):
        return youth.full_name
    # an unborn child and its mother: in the family, never by name (docs/adr/0030-unborn-children.md)
    if youth.is_unborn:
        return str(_("ongeboren kind in het gezin"))
    if any(own.unborn_mother_pseudonym == youth.pseudonym for own in own_youths if own.is_unborn):
        return str(_("jeugdige in het gezin"))
    own_parents = {p for own in own_youths for p in own.parent_pseudonyms if p}
    if own_parents & {p for p in youth.parent_pseudonyms if p}:
        return str(_("broer/zus"))
    return str(_("jeugdige op hetzelfde adres"))


def _is_own(signal: Signal, user, acting_for: AbstractSet[tuple[int, int]]) -> bool:
    """The user's own signal, or that of a colleague they cover for today (they act on it as the colleague would)."""
    return signal.professional_id == user.pk or (signal.professional_id, signal.organisation_id) in acting_for


def _view(
    match: Match,
    signals: list[Signal],
    user,
    acting_for: AbstractSet[tuple[int, int]] = frozenset(),
    national: hooks.NationalPart | None = None,
) -> MatchView | None:
    """The match as this user may see it, from all its signals (placement order); None if the user is not in it.

    `acting_for`: the (professional, organisation) pairs the user covers for today; their signals count as own.
    `national`: the match's part of a national match (other deployments' participants, the coordinator there);
    the same history rules hold for them as for the signals here.
    """
    own = [s for s in signals if _is_own(s, user, acting_for)]
    if not own:
        return None
    viewer_active = any(s.status == ACTIVE for s in own)
    if viewer_active:
        visible = signals
    else:
        # history only: what was there when the viewer's (last) signal was archived; a match that their archived
        # signals joined only afterwards (a newcomer linked to them) arose after the archiving and is not shown
        own = [s for s in own if s.ended_at is None or s.match_participation.joined_at <= s.ended_at]
        if not own:
            return None
        cutoff = max(s.ended_at or s.match_participation.joined_at for s in own)
        visible = [s for s in signals if s.match_participation.joined_at <= cutoff]
    own_youths = {s.youth_id: s.youth for s in own}
    coordinator = next((s for s in visible if s.pk == match.coordinator_signal_id), None)
    if not viewer_active and coordinator is not None and match.coordinator_since and match.coordinator_since > cutoff:
        coordinator = None
    participants = [
        Participant(
            signal=s,
            youth_label=_youth_label(s.youth, own_youths.values()),
            is_own=_is_own(s, user, acting_for),
            is_coordinator=coordinator is not None and s.pk == coordinator.pk,
            follow_up_shown=viewer_active,
            youth_birth_year=None if s.youth_id in own_youths or s.youth.is_unborn else s.youth.birth_date.year,
        )
        for s in visible
    ]
    youths = {}
    for s in visible:
        if s.youth_id not in youths:
            youths[s.youth_id] = YouthShown(
                label=_youth_label(s.youth, own_youths.values()),
                birth_year=s.youth.birth_date.year,
                is_own=s.youth_id in own_youths,
            )
    youths_sorted = sorted(youths.values(), key=lambda y: (not y.is_own, y.birth_year))
    proposed = next((s for s in visible if s.pk == match.proposed_signal_id), None) if viewer_active else None
    remote: list[hooks.RemoteMember] = []
    elsewhere = None
    if national is not None:
        remote = [r for r in national.remote if viewer_active or r.since <= cutoff]
        shown_since = viewer_active or (match.coordinator_since is not None and match.coordinator_since <= cutoff)
        if match.coordinator_elsewhere and national.contact and shown_since:
            elsewhere = national.contact
    return MatchView(
        match=match,
        own=own,
        participants=participants,
        youths=youths_sorted,
        coordinator=coordinator,
        viewer_active=viewer_active,
        proposed=proposed,
        national=national,
        remote=remote,
        coordinator_elsewhere=elsewhere,
    )


def _signals_of_matches(match_ids) -> dict[int, list[Signal]]:
    result: dict[int, list[Signal]] = defaultdict(list)
    for signal in (
        Signal.objects.filter(match_participation__match_id__any=list(match_ids))
        .select_related(*_PARTICIPANT_RELATED)
        .annotate(cover_names=cover_names_subquery())
        .order_by("placed_at", "id")
    ):
        result[signal.match_participation.match_id].append(signal)
    return result


def match_for_professional(*, user, region, reference: str) -> MatchView | None:
    """The match with this reference as the user sees it, if they have a signal in it through this region."""
    match_id = match_id_of_reference(reference)
    if match_id is None:
        return None
    acting_for = covered_professionals(user=user)
    match = (
        # one filter call: the same participation is the user's (or covered) and of this region
        Match.objects.filter(
            _signal_of(user, acting_for, prefix="participations__signal__"),
            pk=match_id,
            participations__signal__organisation__region=region,
        )
        .distinct()
        .first()
    )
    if match is None:
        return None
    national = hooks.national_parts([match.pk]).get(match.pk)
    return _view(match, _signals_of_matches([match.pk])[match.pk], user, acting_for, national)


def _signal_of(user, acting_for: set[tuple[int, int]], *, prefix: str) -> Q:
    """Signals of the user, or of a colleague they cover for today in that colleague's organisation."""
    condition = Q(**{f"{prefix}professional": user})
    for professional_id, organisation_id in sorted(acting_for):
        condition |= Q(**{f"{prefix}professional_id": professional_id, f"{prefix}organisation_id": organisation_id})
    return condition


def match_of_signal_seen(signal: Signal) -> MatchView | None:
    """The match of this signal as the signal's professional sees it (the API answers for that professional)."""
    found = match_of_signal(signal)
    if found is None:
        return None
    national = hooks.national_parts([found.pk]).get(found.pk)
    return _view(found, _signals_of_matches([found.pk])[found.pk], signal.professional, national=national)


@dataclass
class MyMatches:
    rows: list[MatchView] = field(default_factory=list)
    page: Page | None = None
    new_count: int = 0


MATCHES_PER_PAGE = 10


def match_overview_seen_at(*, user) -> datetime | None:
    """When the professional last marked "My matches" as seen (what joined later is new); opening it changes nothing."""
    return MatchOverviewVisit.objects.filter(user=user).values_list("visited_at", flat=True).first()


def my_matches(*, user, region, seen_before: datetime | None, page_number=None) -> MyMatches:
    """One page of the matches the user's signals in this region are in, newest first; what joined since is new.

    Three queries however many matches: the user's match ids, the page's matches and their signals.
    """
    ids = list(
        MatchParticipation.objects.filter(signal__professional=user, signal__organisation__region=region)
        .order_by("-match__created_at", "-match_id")
        .values_list("match_id", flat=True)
    )
    ordered = list(dict.fromkeys(ids))
    page = Paginator(ordered, MATCHES_PER_PAGE).get_page(page_number)
    matches = {m.pk: m for m in Match.objects.filter(pk__any=list(page))}
    signals = _signals_of_matches(list(page))
    national = hooks.national_parts(list(page))
    rows = []
    for match_id in page:
        view = _view(matches[match_id], signals[match_id], user, national=national.get(match_id))
        if view is None:
            continue
        view.new_since = seen_before
        rows.append(view)
    return MyMatches(rows=rows, page=page, new_count=sum(row.new_count for row in rows))


def my_matches_with_news(*, user, region, seen_before: datetime | None) -> int:
    """How many of the user's matches (through this region, on every page of "My matches") show someone new.

    New: another professional's signal that joined after `seen_before` (any, when never marked seen) and that the
    user may see (everything with an active signal of their own in the match; with only archived ones, what
    joined before their archiving). Two queries, however many matches.
    """
    own = MatchParticipation.objects.filter(signal__professional=user, signal__organisation__region=region)
    news = MatchParticipation.objects.filter(match_id=models.OuterRef("match_id")).exclude(signal__professional=user)
    if seen_before is not None:
        news = news.filter(joined_at__gt=seen_before)
    with_news = set(
        own.filter(signal__status=ACTIVE).filter(models.Exists(news)).values_list("match_id", flat=True)
    ) | set(
        own.exclude(signal__status=ACTIVE)
        .filter(joined_at__lte=models.F("signal__ended_at"))
        .filter(models.Exists(news.filter(joined_at__lte=models.OuterRef("signal__ended_at"))))
        .values_list("match_id", flat=True)
    )
    return len(with_news)


# --- the hand-over and the follow-up -----------------------------------------------------------------------------


def match_of_professional(*, user, region, reference: str) -> Match | None:
    """The Match row if the user has an active signal in it through this region (for hand-over and follow-up)."""
    match_id = match_id_of_reference(reference)
    if match_id is None:
        return None
    return (
        Match.objects.filter(
            _signal_of(user, covered_professionals(user=user), prefix="participations__signal__"),
            pk=match_id,
            participations__signal__status=ACTIVE,
            participations__signal__organisation__region=region,
        )
        .distinct()
        .first()
    )


@dataclass(frozen=True)
class FollowUpDue:
    reference: str
    # the first day the region's follow-up period has passed for a participant without recorded contact
    due_on: date
    waiting: int
    # a national match (federation): its follow-up page, and contact is missing with professionals elsewhere
    url: str = ""


def follow_ups_due_of_coordinator(*, user, region, as_of: datetime | None = None) -> list[FollowUpDue]:
    """Matches the user coordinates (through this region) where a participant's contact is not recorded within the
    follow-up days of the match's region: the coordinator's reminder before the monitor sees it. One read, and for
    national matches (federation) the professionals of other deployments, through matching's hook."""
    now = as_of or timezone.now()
    rows = (
        MatchParticipation.objects.filter(
            match__coordinator_signal__professional=user,
            match__coordinator_signal__status=ACTIVE,
            match__coordinator_signal__organisation__region=region,
            signal__status=ACTIVE,
            contact_made_on__isnull=True,
        )
        .exclude(signal_id=models.F("match__coordinator_signal_id"))
        .values_list("match_id", "joined_at", "match__region__followup_days")
        .order_by("joined_at")
    )
    due: dict[int, FollowUpDue] = {}
    for match_id, joined_at, days in rows:
        # a match outside every served region has no period of its own: the coordinator's region's
        due_on = timezone.localdate(joined_at + timedelta(days=days if days is not None else region.followup_days))
        if due_on > timezone.localdate(now):
            continue
        first = due.get(match_id)
        due[match_id] = FollowUpDue(
            match_reference(match_id), first.due_on if first else due_on, (first.waiting if first else 0) + 1
        )
    # national matches this professional coordinates: contact missing with professionals of other deployments
    elsewhere = hooks.follow_ups_due_elsewhere(user=user, region=region, now=now)
    return sorted([*due.values(), *elsewhere], key=lambda item: (item.due_on, item.reference))

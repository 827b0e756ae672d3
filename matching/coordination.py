"""The matchregisseur of a match: choice by the region's rules, moving on when its signal ends, hand-over, follow-up.

One coordinator per match (`Match.coordinator_signal`): every page and e-mail reads it from the match row.
Locks follow the order in matching/detection.py: the signal rows (the caller's), then the Match rows.
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from audit.services import log_events
from regions.models import CoordinatorRule, Municipality
from signals.models import ARCHIVING_REASONS, Signal, SignalStatus
from signals.selectors import may_act_on_signal
from signals.services import on_behalf_of

from . import emails, hooks
from .exceptions import MatchActionRefused, NoProposalForYou, NotAParticipant, NotCoordinator
from .models import Match, MatchParticipation
from .parts import matches_lock, matches_split

ACTIVE = SignalStatus.ACTIVE

# the ordered coordinator rules of the region serving the youth's municipality, and that region, as signal columns
_RULES_OF_YOUTH = ArraySubquery(
    CoordinatorRule.objects.filter(region__municipalities__cbs_code=OuterRef("youth__municipality_code"))
    .order_by("position", "id")
    .values(rule=JSONObject(sector="sector", subtype="subtype"))
)
_REGION_OF_YOUTH = Subquery(
    Municipality.objects.filter(cbs_code=OuterRef("youth__municipality_code"), region__isnull=False).values(
        "region_id"
    )[:1]
)
MEMBER_RELATED = ("youth", "organisation__region", "professional", "match_participation")


def match_members(match_ids, *, active_only: bool = False) -> dict[int, list[Signal]]:
    """Per match: its signals in placement order, each with its youth's region and that region's rules (one query)."""
    signals = Signal.objects.filter(match_participation__match_id__any=list(match_ids))
    if active_only:
        signals = signals.filter(status=ACTIVE)
    result: dict[int, list[Signal]] = {pk: [] for pk in match_ids}
    for signal in (
        signals.select_related(*MEMBER_RELATED)
        .annotate(youth_rules=_RULES_OF_YOUTH, youth_region=_REGION_OF_YOUTH)
        .order_by("placed_at", "id")
    ):
        result[signal.match_participation.match_id].append(signal)
    return result


def coordinator_by_rules(rules, candidates: list):
    """The region's choice: the first candidate (in the given order: earliest first) whose organisation fits the
    first rule that any fits; none fits or no rules: the first candidate. `rules` as `youth_rules` gives them
    ({sector, subtype} in order); a candidate needs `organisation.sector` and `organisation.subtype` (a signal of
    another deployment qualifies too: docs/federation.md, "One match, one coordinator")."""
    if not candidates:
        return None
    for rule in (CoordinatorRule(**rule) for rule in rules or []):
        for candidate in candidates:
            organisation = candidate.organisation
            if organisation.sector == rule.sector and (not rule.subtype or organisation.subtype == rule.subtype):
                return candidate
    return candidates[0]


def youth_rules_of(signal_ids) -> dict[int, list[dict]]:
    """Per signal: the ordered coordinator rules of the region serving its youth's municipality (one query)."""
    return dict(
        Signal.objects.filter(pk__in=list(signal_ids)).annotate(rules=_RULES_OF_YOUTH).values_list("pk", "rules")
    )


def _choose(candidates: list[Signal]) -> Signal | None:
    """By the rules of the region where the youth of the earliest candidate lives (ties by the earliest signal)."""
    if not candidates:
        return None
    return coordinator_by_rules(candidates[0].youth_rules, candidates)


def _decide_national(match: Match, active: list[Signal], national: hooks.NationalPart, now) -> None:
    """A match in a national match: the coordinator is the one decided for the national match (by the rules of the
    region of its earliest active signal, in the deployment that holds it), not a local choice.

    A signal of this match that is the national coordinator holds the role here; one elsewhere is kept as its key
    (its contact comes through the hook); the national coordinator's signal ended here: nobody, until the new
    national decision arrives (it comes with its own e-mail)."""
    by_id = {s.pk: s for s in active}
    chosen = by_id.get(national.signal_id) if national.signal_id else None
    elsewhere = "" if national.signal_id else national.key
    if (chosen.pk if chosen else None, elsewhere) != (match.coordinator_signal_id, match.coordinator_elsewhere):
        match.coordinator_since = now if chosen or elsewhere else None
        match.handed_over = False
    match.coordinator_signal = chosen
    match.coordinator_elsewhere = elsewhere
    if active:
        match.region_id = active[0].youth_region
    if match.proposed_signal_id not in by_id or match.proposed_signal_id == match.coordinator_signal_id:
        match.proposed_signal, match.proposed_at = None, None


def _decide(match: Match, active: list[Signal], held: list[Match], now, *, keep_chosen: bool) -> None:
    """Set the match's coordinator and region over its active signals.

    A handed-over coordinator still active is kept (the first of `held`, the matches as they were, in order of
    preference), and with `keep_chosen` any coordinator still active; otherwise the rules choose. Because the
    rules choose over all active signals, the outcome of detection does not depend on the order of placement,
    and a merge keeps one of the coordinators it merges (each was the rules' choice of its part). A proposal
    lapses when either side is no longer in the match.
    """
    national = hooks.national_parts([match.pk]).get(match.pk)
    if national is not None and national.decided:
        _decide_national(match, active, national, now)
        return
    match.coordinator_elsewhere = ""
    by_id = {s.pk: s for s in active}
    keeper = next(
        (m for m in held if m.coordinator_signal_id in by_id and (m.handed_over or keep_chosen)),
        None,
    )
    if keeper is not None:
        chosen, handed_over, since = by_id[keeper.coordinator_signal_id], keeper.handed_over, keeper.coordinator_since
    else:
        chosen, handed_over, since = _choose(active), False, now
        if chosen is not None and chosen.pk == match.coordinator_signal_id:
            handed_over, since = match.handed_over, match.coordinator_since or now
    match.coordinator_signal = chosen
    match.handed_over = handed_over if chosen else False
    match.coordinator_since = since if chosen else None
    if active:
        # a youth in a municipality no region serves: the region of the earliest active signal's organisation, as
        # for the coordinator, so that the match still has one monitor
        match.region_id = active[0].youth_region or active[0].organisation.region_id
    if match.proposed_signal_id not in by_id or match.proposed_signal_id == match.coordinator_signal_id:
        match.proposed_signal, match.proposed_at = None, None


_DECIDED_FIELDS = [
    "coordinator_signal",
    "coordinator_elsewhere",
    "coordinator_since",
    "handed_over",
    "region",
    "proposed_signal",
    "proposed_at",
    "version",
]


def _effective(match: Match) -> tuple:
    """Who coordinates: a signal of this match, or a professional elsewhere in the national match."""
    return (match.coordinator_signal_id, match.coordinator_elsewhere)


def _decided_state(match: Match) -> tuple:
    return tuple(getattr(match, match._meta.get_field(name).attname) for name in _DECIDED_FIELDS)


def match_coordinator_after_join(*, match_id: int, before: dict[int, Match], now) -> tuple[Match, list[Signal], bool]:
    """After detection joined or merged: the match's coordinator by the rules (a handed-over one is kept).

    Returns the match, its active signals and whether anyone in it had another coordinator before; one read,
    and one write when something changed.
    """
    held = [before[pk] for pk in sorted(before)]
    match = before.get(match_id) or Match(pk=match_id, created_at=now)
    match._state.adding = False
    active = match_members([match_id], active_only=True)[match_id]
    state = _decided_state(match)
    _decide(match, active, held, now, keep_chosen=False)
    changed = any(_effective(m) != _effective(match) for m in held)
    if changed:
        match.version += 1
    if _decided_state(match) != state or not before:
        match.save(update_fields=_DECIDED_FIELDS)
    return match, active, changed


def match_signals_ending(*, signals: list[Signal], reason: str, log: bool = True) -> list[dict]:
    """Before signals are archived or destroyed: their matches split (when destroyed), the role moves on, all told.

    The caller holds the signal rows; this locks their Match rows (sorted) and then writes, in a fixed number
    of statements however many signals end (the life cycle ends thousands a night). Returns the logbook events;
    with `log=False` the caller writes them, last in its transaction (the logbook's lock is held to the commit).
    """
    ending = {signal.pk for signal in signals}
    with transaction.atomic():
        match_ids = set(
            MatchParticipation.objects.filter(signal_id__any=list(ending)).values_list("match_id", flat=True)
        )
        if not match_ids:
            return []
        matches = _matches_lock(match_ids)
        before = {pk: _effective(match) for pk, match in matches.items()}
        national = hooks.national_parts(list(matches))
        members = match_members(list(matches))
        if reason not in ARCHIVING_REASONS:
            members = matches_split(matches=matches, members=members, destroyed=ending)
        now = timezone.now()
        changed: list[tuple[Match, list[Signal], int | None]] = []
        for match_id, signals_in in members.items():
            match = matches[match_id]
            active = [s for s in signals_in if s.status == ACTIVE and s.pk not in ending]
            # a part split off into a new match had the old match's coordinator: it is told who it has now
            previous, _elsewhere = before.get(match_id, (-1, ""))
            # the role moves on only when its signal ends: a coordinator still active keeps it
            _decide(match, active, [match] if match_id in before else [], now, keep_chosen=True)
            if _effective(match) != before.get(match_id, (-1, "")):
                match.version += 1
                changed.append((match, active, previous))
        Match.objects.bulk_update([matches[pk] for pk in sorted(members)], _DECIDED_FIELDS)
        # in a national match with a decided coordinator the new one is decided nationally: its e-mail comes with
        # that decision (matches_coordinator_national_refresh)
        decided = {pk for pk, part in national.items() if part.decided}
        emails.coordinator_changed_notify(
            [(match, active) for match, active, _previous in changed if active and match.pk not in decided]
        )
        events = [
            {
                "action": "match_coordinator_changed",
                "signal_id": match.coordinator_signal_id,
                "previous_signal_id": previous if previous != -1 else None,
                "match": match.reference,
                "reason": str(reason),
            }
            for match, _active, previous in changed
        ]
        if log:
            log_events(events)
    return events


def _matches_lock(match_ids) -> dict[int, Match]:
    return matches_lock(match_ids)


def matches_coordinator_national_refresh(*, match_ids, reason: str = "national") -> list[Match]:
    """The national coordinator of these matches changed (the federation learnt a decision): each match takes it,
    and where the coordinator changed its active participants get the "coordinator changed" e-mail (once per
    change: the outbox key carries the match's version). Returns the matches whose coordinator changed."""
    with transaction.atomic():
        matches = _matches_lock(match_ids)
        if not matches:
            return []
        members = match_members(list(matches), active_only=True)
        now = timezone.now()
        changed = []
        for match_id, match in sorted(matches.items()):
            before, previous = _effective(match), match.coordinator_signal_id
            _decide(match, members[match_id], [match], now, keep_chosen=True)
            if _effective(match) != before:
                match.version += 1
                match.save(update_fields=_DECIDED_FIELDS)
                changed.append((match, previous))
        emails.coordinator_changed_notify([(match, members[match.pk]) for match, _p in changed if members[match.pk]])
        log_events(
            [
                {
                    "action": "match_coordinator_changed",
                    "signal_id": match.coordinator_signal_id,
                    "previous_signal_id": previous,
                    "match": match.reference,
                    "reason": reason,
                }
                for match, previous in changed
            ]
        )
    return [match for match, _previous in changed]


# --- hand-over -------------------------------------------------------------------------------------------------


def _locked(match: Match) -> tuple[Match, list[Signal]]:
    """The match row locked (step 3 of the lock order) and its active signals; a match merged away is refused."""
    locked = _matches_lock([match.pk]).get(match.pk)
    if locked is None:
        raise MatchActionRefused(_("Deze match bestaat niet meer in deze vorm. Open de match opnieuw."))
    return locked, match_members([locked.pk], active_only=True)[locked.pk]


def _acts_for(signal: Signal | None, actor) -> bool:
    """The actor is the signal's professional, or the colleague covering for them today (waarneming)."""
    return signal is not None and (signal.professional_id == actor.pk or may_act_on_signal(user=actor, signal=signal))


def _coordinator_of(match: Match, active: list[Signal], actor) -> Signal:
    coordinator = next((s for s in active if s.pk == match.coordinator_signal_id), None)
    if not _acts_for(coordinator, actor):
        raise NotCoordinator()
    return coordinator


def match_handover_propose(*, match: Match, actor, to_signal_id: int) -> Match:
    """The coordinator proposes to hand the role to another active participant, who is e-mailed a link to decide."""
    with transaction.atomic():
        match, active = _locked(match)
        coordinator = _coordinator_of(match, active, actor)
        target = next((s for s in active if s.pk == to_signal_id), None)
        if target is None or target.professional_id in (actor.pk, coordinator.professional_id):
            raise NotAParticipant()
        national = _national_decided(match)
        if national is not None:
            # decided for the national match: a local hand-over would be undone at the next national decision, so the
            # national index takes it (it e-mails the proposed professional and, once accepted, tells every member)
            if not hooks.national_handover_propose(match=match, coordinator=coordinator, target=target, actor=actor):
                raise MatchActionRefused(NATIONAL_HANDOVER_UNAVAILABLE % {"national": national.reference})
            match.proposed_signal = target
            match.proposed_at = timezone.now()
            match.save(update_fields=["proposed_signal", "proposed_at"])
            return match
        match.proposed_signal = target
        match.proposed_at = timezone.now()
        match.save(update_fields=["proposed_signal", "proposed_at"])
        emails.handover_proposed_notify(match=match, target=target, coordinator=coordinator)
        audit_events.match_handover_proposed(
            actor=actor,
            signal_id=coordinator.pk,
            proposed_signal_id=target.pk,
            match=match.reference,
            **on_behalf_of(coordinator, actor),
        )
    return match


def _national_decided(match: Match) -> hooks.NationalPart | None:
    """The national match whose decided coordinator this match takes (federation), or None."""
    national = hooks.national_parts([match.pk]).get(match.pk)
    return national if national is not None and national.decided else None


# in a match that is part of a national match, a hand-over goes through the national index (docs/federation.md)
NATIONAL_HANDOVER_UNAVAILABLE = _(
    "Deze match is deel van landelijke match %(national)s: de matchregie wordt landelijk bepaald en kan nu niet "
    "worden overgedragen. Probeer het over enkele minuten opnieuw."
)
NATIONAL_PROPOSAL_LAPSED = _(
    "Deze match is inmiddels deel van landelijke match %(national)s: de matchregie wordt landelijk bepaald en het "
    "voorstel is vervallen. De matchregisseur kan het opnieuw voorstellen; het gaat dan via de landelijke "
    "verwijsindex."
)


def _national_answer(match: Match, active: list[Signal], actor, *, accept: bool) -> None:
    """The proposed professional's answer in a match decided nationally: the national index takes it (the role moves
    when it has named the new coordinator: every member hears it then). A local proposal made before the match became
    part of the national match lapses, with a message, rather than be undone silently at the next national decision."""
    proposed = next((s for s in active if s.pk == match.proposed_signal_id), None)
    if not _acts_for(proposed, actor):
        raise NoProposalForYou()
    national = _national_decided(match)
    assert national is not None
    taken = hooks.national_handover_answer(match=match, signal=proposed, actor=actor, accept=accept)
    match.proposed_signal, match.proposed_at = None, None
    match.save(update_fields=["proposed_signal", "proposed_at"])
    if not taken:
        raise ProposalLapsed(NATIONAL_PROPOSAL_LAPSED % {"national": national.reference})


class ProposalLapsed(MatchActionRefused):
    """Raised after the lapsed proposal is cleared (the caller commits that, then shows the message)."""


def _answer_nationally(match: Match, actor, *, accept: bool) -> bool:
    """True when the match's coordinator is decided nationally and the answer went (or lapsed) that way."""
    lapsed = None
    with transaction.atomic():
        match, active = _locked(match)
        if _national_decided(match) is None:
            return False
        try:
            _national_answer(match, active, actor, accept=accept)
        except ProposalLapsed as refusal:
            lapsed = refusal
    if lapsed is not None:
        raise lapsed
    return True


def match_handover_accept(*, match: Match, actor) -> Match:
    """The proposed professional accepts: they are the coordinator until their signal ends; everyone is told.

    In a match whose coordinator is decided for a national match the national index takes the acceptance."""
    if _answer_nationally(match, actor, accept=True):
        return match
    with transaction.atomic():
        match, active = _locked(match)
        proposed = next((s for s in active if s.pk == match.proposed_signal_id), None)
        if not _acts_for(proposed, actor):
            raise NoProposalForYou()
        previous = match.coordinator_signal_id
        match.coordinator_signal = proposed
        match.coordinator_since = timezone.now()
        match.handed_over = True
        match.proposed_signal, match.proposed_at = None, None
        match.version += 1
        match.save(update_fields=_DECIDED_FIELDS)
        emails.coordinator_changed_notify([(match, active)])
        audit_events.match_coordinator_changed(
            actor=actor,
            signal_id=proposed.pk,
            previous_signal_id=previous,
            match=match.reference,
            reason="handover",
            **on_behalf_of(proposed, actor),
        )
    return match


def match_handover_decline(*, match: Match, actor) -> Match:
    """The proposed professional declines; the coordinator who proposed hears it (in a national match: through the
    national index)."""
    if _answer_nationally(match, actor, accept=False):
        return match
    with transaction.atomic():
        match, active = _locked(match)
        proposed = next((s for s in active if s.pk == match.proposed_signal_id), None)
        if not _acts_for(proposed, actor):
            raise NoProposalForYou()
        proposed_at = match.proposed_at
        match.proposed_signal, match.proposed_at = None, None
        match.save(update_fields=["proposed_signal", "proposed_at"])
        coordinator = next((s for s in active if s.pk == match.coordinator_signal_id), None)
        if coordinator is not None:
            emails.handover_declined_notify(match=match, coordinator=coordinator, declined_by=proposed, at=proposed_at)
        audit_events.match_handover_declined(
            actor=actor, signal_id=proposed.pk, match=match.reference, **on_behalf_of(proposed, actor)
        )
    return match


# --- follow-up -------------------------------------------------------------------------------------------------


def follow_up_date_error(
    value: datetime.date | None, *, match: Match, joined_at: datetime.datetime | None = None
) -> str | None:
    """The Dutch message for a follow-up date that cannot be true, or None.

    `joined_at`: for the contact with one participant, when their signal joined the match (no contact about this
    match before they were in it).
    """
    if value is None:
        return None
    if value > timezone.localdate():
        return _("Deze datum ligt in de toekomst.")
    arose = timezone.localdate(match.created_at)
    if value < arose:
        return _("Deze datum ligt vóór het ontstaan van de match (%(date)s).") % {"date": arose.strftime("%d-%m-%Y")}
    joined = timezone.localdate(joined_at) if joined_at is not None else None
    if joined is not None and value < joined:
        return _("Deze datum ligt vóór de dag waarop deze professional bij de match kwam (%(date)s).") % {
            "date": joined.strftime("%d-%m-%Y")
        }
    return None


def _agreed_after_every_contact(agreed: datetime.date, coordinator: Signal, active: list[Signal], contacts) -> None:
    """Coordination is agreed only after contact with every other active participant, and not before it."""
    others = [s for s in active if s.pk != coordinator.pk and s.professional_id != coordinator.professional_id]
    made = [contacts.get(s.pk, s.match_participation.contact_made_on) for s in others]
    if not all(made):
        raise MatchActionRefused(_("Leg eerst vast dat er met iedere betrokkene contact is."))
    if any(agreed < day for day in made):
        raise MatchActionRefused(_("De afstemming kan niet vóór het contact liggen."))


def match_follow_up_record(
    *, match: Match, actor, contacts: dict[int, datetime.date | None], coordination_agreed_on: datetime.date | None
) -> Match:
    """The coordinator records per participating signal that contact was made, and that coordination was agreed.

    `contacts` maps active participants' signal ids to a date (or None to clear); other signals are refused.
    """
    with transaction.atomic():
        match, active = _locked(match)
        coordinator = _coordinator_of(match, active, actor)
        by_id = {s.pk: s for s in active}
        if set(contacts) - set(by_id):
            raise NotAParticipant()
        for signal_id, value in sorted(contacts.items()):
            joined_at = by_id[signal_id].match_participation.joined_at
            error = follow_up_date_error(value, match=match, joined_at=joined_at)
            if error:
                raise MatchActionRefused(error)
        error = follow_up_date_error(coordination_agreed_on, match=match)
        if error:
            raise MatchActionRefused(error)
        if coordination_agreed_on and coordination_agreed_on != match.coordination_agreed_on:
            # as the page's form says it (matching/forms.py), for every way in: the API too
            _agreed_after_every_contact(coordination_agreed_on, coordinator, active, contacts)
        now = timezone.now()
        first_time = []
        participations = []
        for signal_id, value in sorted(contacts.items()):
            participation = by_id[signal_id].match_participation
            if participation.contact_made_on is None and value is not None:
                first_time.append(participation)
            participation.contact_made_on = value
            participation.recorded_by = actor
            participation.recorded_at = now
            participations.append(participation)
        MatchParticipation.objects.bulk_update(participations, ["contact_made_on", "recorded_by", "recorded_at"])
        match.coordination_agreed_on = coordination_agreed_on
        match.save(update_fields=["coordination_agreed_on"])
        hooks.follow_up_recorded(match, participations, first_time)
        audit_events.match_follow_up_recorded(
            actor=actor,
            signal_id=match.coordinator_signal_id,
            match=match.reference,
            contacts={str(pk): value.isoformat() if value else None for pk, value in sorted(contacts.items())},
            coordination_agreed_on=coordination_agreed_on.isoformat() if coordination_agreed_on else None,
            **on_behalf_of(coordinator, actor),
        )
    return match

"""The e-mails of matching, written to the outbox: each names the match's reference and its one coordinator.

Only professionals with an active signal are ever e-mailed; archived signals are history and are never told.
A colleague covering for a recipient (waarneming) gets a copy while the cover runs (docs/adr/0041-cover-in-matching.md).
"""

from collections import defaultdict

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.links import region_url
from notifications.models import NotificationKind
from notifications.services import notifications_enqueue
from signals.models import Signal, SignalStatus
from signals.selectors import covering_colleagues

from . import hooks
from .models import Match, MatchKind, MatchLink

MATCH_TEMPLATE = "matching/email/match"
COORDINATOR_CHANGED_TEMPLATE = "matching/email/coordinator_changed"
HANDOVER_PROPOSED_TEMPLATE = "matching/email/handover_proposed"
HANDOVER_DECLINED_TEMPLATE = "matching/email/handover_declined"
COORDINATOR_CHANGED_KIND = "match_coordinator_changed"
HANDOVER_PROPOSED_KIND = "match_handover_proposed"
HANDOVER_DECLINED_KIND = "match_handover_declined"


def contact(signal: Signal | None) -> dict | None:
    """What an e-mail shows of a professional: the contact details of their signal."""
    if signal is None:
        return None
    return {
        "name": signal.contact_name,
        "organisation": signal.organisation.name,
        "email": signal.contact_email,
        "phone": signal.contact_phone,
    }


def match_url(match: Match, signal: Signal, name: str = "matching:match") -> str:
    """The match page on the host of the region of the recipient's own signal."""
    return region_url(signal.organisation.region, reverse(name, kwargs={"reference": match.reference}))


def coordinator_shown(match: Match, coordinator: Signal | None) -> dict | None:
    """The contact details of the match's one coordinator: a signal of the match, or a professional elsewhere in
    its national match (through the federation's hook), so every e-mail names the same one."""
    if coordinator is not None:
        return contact(coordinator)
    if match.coordinator_elsewhere:
        part = hooks.national_parts([match.pk]).get(match.pk)
        return part.contact if part is not None else None
    return None


def _own_signal_context(own: Signal, match: Match, coordinator: Signal | None, shown: dict | None = None) -> dict:
    youth = own.youth
    return {
        "reference": own.reference,
        "youth_initials": youth.initials,
        "youth_birth_year": youth.birth_date.year,
        # an unborn child: initials are the mother's, the year the expected one (docs/adr/0030-unborn-children.md)
        "youth_unborn": youth.is_unborn,
        "match_reference": match.reference,
        "coordinator": shown if shown is not None else contact(coordinator),
        "you_are_coordinator": coordinator is not None and coordinator.professional_id == own.professional_id,
        "url": match_url(match, own),
    }


def _enqueue_with_covers(items: list[tuple[dict, list[Signal]]], covering: dict[int, list] | None = None) -> None:
    """Write the e-mails, each (item, the recipient's own signals it is about) with a copy to every colleague who
    covers today for the recipient in a signal's organisation (waarneming, issue 19), in one more query.

    The copy says for whom it came; a cover who gets this e-mail for signals of their own gets no second copy.
    `covering` ({signal id: users}) when the caller has read it already.
    """
    if covering is None:
        covering = covering_colleagues([signal for _item, own in items for signal in own])
    recipients = {item["recipient"].pk for item, _own in items}
    rows = []
    for item, own in items:
        rows.append(item)
        for user in dict.fromkeys(user for signal in own for user in covering.get(signal.pk, [])):
            if user.pk in recipients:
                continue
            rows.append(
                {
                    **item,
                    "recipient": user,
                    "context": {**item["context"], "covering_for": own[0].contact_name},
                    "dedupe_key": f"{item['dedupe_key']}:cover:{user.pk}",
                }
            )
    notifications_enqueue(rows)


def _in_kind_order(kinds) -> list[str]:
    return sorted(kinds, key=list(MatchKind.values).index)


def match_notify(
    *,
    trigger: Signal,
    links: list[MatchLink],
    signals: dict[int, Signal],
    match: Match,
    members: list[Signal],
    arose: bool = True,
) -> None:
    """One e-mail per professional with an active signal in the new links, naming the match's coordinator.

    `arose`: the match is new with these links; else they joined an existing one (its reference already known to
    those in it), and the e-mail says there are new participants in match M-… rather than that a match arose.
    """
    coordinator = next((s for s in members if s.pk == match.coordinator_signal_id), None)
    shown = coordinator_shown(match, coordinator)
    # recipient -> own signal -> other signal -> kinds
    lines: dict[int, dict[int, dict[int, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for link in links:
        for own_id, other_id in ((link.signal_a_id, link.signal_b_id), (link.signal_b_id, link.signal_a_id)):
            own, other = signals[own_id], signals[other_id]
            if own.status == SignalStatus.ACTIVE and other.status == SignalStatus.ACTIVE:
                lines[own.professional_id][own_id][other_id].add(link.kind)
    first_link = min(link.pk for link in links)
    # one query for the covers of everyone in these e-mails: recipients get a copy to their cover, and the
    # colleagues listed show who covers for them
    covering = covering_colleagues(
        [
            signals[pk]
            for own_signals in lines.values()
            for own_id, others in own_signals.items()
            for pk in (own_id, *others)
        ]
    )
    items = []
    with translation.override("nl"):
        for recipient_id, own_signals in sorted(lines.items()):
            recipient = next(signals[own_id].professional for own_id in own_signals)
            matches = []
            for own_id, others in sorted(own_signals.items()):
                entry = _own_signal_context(signals[own_id], match, coordinator, shown)
                entry["others"] = [
                    {
                        **contact(signals[other_id]),
                        "kinds": [str(MatchKind(kind).label) for kind in _in_kind_order(kinds)],
                        "kind_codes": _in_kind_order(kinds),
                        "signal_id": other_id,
                        "covered_by": [user.full_name or user.email for user in covering.get(other_id, [])],
                    }
                    for other_id, kinds in sorted(others.items())
                ]
                matches.append(entry)
            items.append(
                (
                    {
                        "recipient": recipient,
                        "kind": NotificationKind.MATCH,
                        "subject": (
                            ngettext(
                                "Verwijsindex: nieuwe match %(match)s bij uw signaal %(refs)s",
                                "Verwijsindex: nieuwe match %(match)s bij uw signalen %(refs)s",
                                len(matches),
                            )
                            if arose
                            else ngettext(
                                "Verwijsindex: nieuwe betrokkenen bij match %(match)s (uw signaal %(refs)s)",
                                "Verwijsindex: nieuwe betrokkenen bij match %(match)s (uw signalen %(refs)s)",
                                len(matches),
                            )
                        )
                        % {"match": match.reference, "refs": ", ".join(m["reference"] for m in matches)},
                        "template": MATCH_TEMPLATE,
                        "context": {
                            "matches": matches,
                            "match_reference": match.reference,
                            "match_arose": arose,
                            "coordinator": shown,
                            "trigger_signal_id": trigger.pk,
                        },
                        "dedupe_key": f"match:{trigger.pk}:{first_link}:{recipient_id}",
                    },
                    [signals[own_id] for own_id in sorted(own_signals)],
                )
            )
    _enqueue_with_covers(items, covering)


def coordinator_changed_notify(changes: list[tuple[Match, list[Signal]]]) -> None:
    """Tell the active participants of each match who its coordinator is now: one outbox statement for all."""
    items = []
    with translation.override("nl"):
        for match, active in changes:
            coordinator = next((s for s in active if s.pk == match.coordinator_signal_id), None)
            shown = coordinator_shown(match, coordinator)
            per_recipient: dict[int, list[Signal]] = defaultdict(list)
            for signal in active:
                per_recipient[signal.professional_id].append(signal)
            for recipient_id, own_signals in sorted(per_recipient.items()):
                items.append(
                    (
                        {
                            "recipient": own_signals[0].professional,
                            "kind": COORDINATOR_CHANGED_KIND,
                            "subject": _("Verwijsindex: de matchregisseur van match %(match)s is gewijzigd")
                            % {"match": match.reference},
                            "template": COORDINATOR_CHANGED_TEMPLATE,
                            "context": {
                                "match_reference": match.reference,
                                "signals": [_own_signal_context(own, match, coordinator, shown) for own in own_signals],
                                "coordinator": shown,
                                "you_are_coordinator": coordinator is not None
                                and coordinator.professional_id == recipient_id,
                                "url": match_url(match, own_signals[0]),
                            },
                            "dedupe_key": f"coordinator:{match.pk}:v{match.version}:{recipient_id}",
                        },
                        own_signals,
                    )
                )
    _enqueue_with_covers(items)


def handover_proposed_notify(*, match: Match, target: Signal, coordinator: Signal) -> None:
    """The proposed professional gets a link to the page with the accept and decline buttons."""
    with translation.override("nl"):
        item = {
            "recipient": target.professional,
            "kind": HANDOVER_PROPOSED_KIND,
            "subject": _("Verwijsindex: verzoek om matchregisseur te worden van match %(match)s")
            % {"match": match.reference},
            "template": HANDOVER_PROPOSED_TEMPLATE,
            "context": {
                "match_reference": match.reference,
                "signal": _own_signal_context(target, match, coordinator),
                "coordinator": contact(coordinator),
                "url": match_url(match, target, "matching:handover"),
            },
            "dedupe_key": f"handover:{match.pk}:{target.pk}:{match.proposed_at.isoformat()}",
        }
        _enqueue_with_covers([(item, [target])])


def handover_declined_notify(*, match: Match, coordinator: Signal, declined_by: Signal, at) -> None:
    with translation.override("nl"):
        item = {
            "recipient": coordinator.professional,
            "kind": HANDOVER_DECLINED_KIND,
            "subject": _("Verwijsindex: overdracht van de matchregie van match %(match)s geweigerd")
            % {"match": match.reference},
            "template": HANDOVER_DECLINED_TEMPLATE,
            "context": {
                "match_reference": match.reference,
                "declined_by": contact(declined_by),
                "url": match_url(match, coordinator),
            },
            "dedupe_key": f"handover-declined:{match.pk}:{declined_by.pk}:{at.isoformat() if at else ''}",
        }
        _enqueue_with_covers([(item, [coordinator])])

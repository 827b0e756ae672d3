"""One function per kind of event the logbook records, named by its code: what the event is about, and nothing else.

Who, from where and in which region come from the context (audit.context) unless the caller names them; the entry
goes in with the caller's transaction and is sealed after the commit (docs/adr/0002-logbook.md), so a caller logs
wherever it likes. Each code has its label in audit.actions. Other apps call these, never `log_event` itself
(tests/audit/test_logbook_events.py); the life cycle's batches go through `services.log_events`.
Details must never hold a BSN or a name.

Most events carry only what they are given: they are declared as data below, a line each (`_event`); the two
that decide something about their details are written out at the end.
"""

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .models import LogEntry
from .services import log_event

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as Actor
    from django.http import HttpRequest

# the alerts of the look-up guard (persons/guards.py): one function, the kind named
LOOKUP_ALERTS = frozenset(
    {"bsn_enumeration_suspected", "bsn_enumeration_by_organisation_suspected", "birth_date_guessing_suspected"}
)
# who, from where, in which region, about which youth and signal: every event may be told these, none must be
# (unless its line names one: then it is needed); left out, they come from the context (log_event)
CONTEXT = ("actor", "request", "region_id", "youth_pseudonym", "signal_id")


def _cover(on_behalf_of_user_id: int | None, acted_as: str) -> dict:
    """The details of an act by a colleague covering for the signal's professional (waarneming), if it was one."""
    return {"on_behalf_of_user_id": on_behalf_of_user_id, "acted_as": acted_as} if on_behalf_of_user_id else {}


def _event(action: str, takes: str = "") -> Callable[..., LogEntry]:
    """The function that writes `action`, named after it: keyword arguments only, the context's and those in `takes`.

    Each word of `takes` is a detail the event needs; `name?` one it may be given (None when not), `cover` the two
    of an act by a covering colleague (written only when there was one), `**` lets further details through. Any
    other keyword is refused with a TypeError, as a written-out function would refuse it.
    """
    words = takes.split()
    cover = "cover" in words
    further = "**" in words
    details = [word.rstrip("?") for word in words if word not in ("cover", "**")]
    needed = {word for word in words if word not in ("cover", "**") and not word.endswith("?")}
    optional = [name for name in details if name not in needed] + (
        ["on_behalf_of_user_id", "acted_as"] if cover else []
    )
    names = set(CONTEXT) | set(details) | set(optional)

    def write(**given: Any) -> LogEntry:
        missing, unknown = needed - given.keys(), given.keys() - names
        if missing or (unknown and not further):
            refused = ", ".join(sorted(missing or unknown))
            raise TypeError(f"{action}() {'needs' if missing else 'takes no'} keyword {refused}")
        written = {name: None for name in details if name not in needed} | given
        if cover:
            written |= _cover(written.pop("on_behalf_of_user_id", None), written.pop("acted_as", ""))
        return log_event(action=action, **written)

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter(name, keyword) for name in details if name in needed]
    parameters += [inspect.Parameter(name, keyword, default=None) for name in CONTEXT if name not in needed]
    parameters += [inspect.Parameter(name, keyword, default=None) for name in optional]
    if further:
        parameters.append(inspect.Parameter("details", inspect.Parameter.VAR_KEYWORD))
    write.__name__ = write.__qualname__ = action
    write.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return write


# Contact details of a matched signal in another deployment were received through the hub (docs/federation.md).
federation_partner_received = _event("federation_partner_received", "signal_id deployment reference")
# The professional gave a new expected date of birth for the unborn child.
signal_unborn_date_updated = _event(
    "signal_unborn_date_updated", "region_id youth_pseudonym signal_id expected_before expected"
)
# A process manager searched the region's logbook for one youth (by the BSN's pseudonym, never the BSN).
logbook_searched_by_bsn = _event("logbook_searched_by_bsn", "youth_pseudonym")
# API call made by a connected system.
api_call = _event("api_call", "api_client_id client_id api_client method endpoint status **")
# API client created.
api_client_created = _event("api_client_created", "api_client_id client_id organisation_id certificate_pinned")
# API client revoked.
api_client_revoked = _event("api_client_revoked", "api_client_id client_id")
# A youth looked up in the BRP, with the outcome (found, not matched, deceased).
brp_lookup = _event("brp_lookup", "outcome **")
# Look-up refused (too many look-ups).
brp_lookup_refused = _event("brp_lookup_refused", "reason")
# Contact details changed.
contact_details_changed = _event("contact_details_changed", "user_id signals_updated")
# Match coordination rule added.
coordinator_rule_added = _event("coordinator_rule_added", "sector subtype")
# Match coordination rule moved.
coordinator_rule_moved = _event("coordinator_rule_moved", "rule direction")
# Match coordination rule removed.
coordinator_rule_removed = _event("coordinator_rule_removed", "sector subtype")
# Cover recorded.
cover_created = _event("cover_created", "organisation_id cover_id absent_user_id covering_user_id starts_on ends_on")
# Cover withdrawn.
cover_withdrawn = _event("cover_withdrawn", "cover_id")
# A user's e-mail address marked as unreachable.
email_failing = _event("email_failing", "user_id")
# Link for new two-step verification used.
enrolment_link_used = _event("enrolment_link_used", "user_id")
# Account linked to the account at the own organisation.
external_identity_linked = _event("external_identity_linked", "organisation_id user_id")
# A match's follow-up checked.
follow_up_checked = _event("follow_up_checked", "match")
# Sign-in through the organisation configured.
identity_provider_saved = _event("identity_provider_saved", "organisation_id use active")
# Institutional address added.
institutional_address_added = _event("institutional_address_added", "address")
# Institutional address removed.
institutional_address_removed = _event("institutional_address_removed", "address")
# Invitation accepted.
invitation_accepted = _event("invitation_accepted", "user_id")
# Match coordinator changed.
match_coordinator_changed = _event("match_coordinator_changed", "previous_signal_id match reason cover")
# Match created; professionals with an active signal e-mailed.
match_created = _event("match_created", "match merged links")
# Match follow-up recorded.
match_follow_up_recorded = _event("match_follow_up_recorded", "match contacts coordination_agreed_on cover")
# Transfer of match coordination declined.
match_handover_declined = _event("match_handover_declined", "match cover")
# Transfer of match coordination proposed.
match_handover_proposed = _event("match_handover_proposed", "proposed_signal_id match cover")
# Matches viewed.
matches_viewed = _event("matches_viewed", "match")
# A user's membership ended.
membership_deactivated = _event("membership_deactivated", "membership_id user_id organisation_id")
# Move to another region reported.
move_notice_created = _event("move_notice_created", "notice signals")
# Move notice dealt with.
move_notice_handled = _event("move_notice_handled", "notice")
# Municipality added to the region.
municipality_added = _event("municipality_added", "cbs_code")
# A municipality's details changed.
municipality_changed = _event("municipality_changed", "cbs_code")
# E-mail sent.
notification_sent = _event("notification_sent", "kind recipient_id")
# An organisation's details changed.
organisation_changed = _event("organisation_changed", "organisation fields")
# Organisation created.
organisation_created = _event("organisation_created", "organisation")
# Organisation deactivated.
organisation_deactivated = _event("organisation_deactivated", "organisation signals_ended")
# Organisation reactivated.
organisation_reactivated = _event("organisation_reactivated", "organisation")
# Organisation team contact set.
organisation_team_contact_set = _event("organisation_team_contact_set", "organisation_id signals_updated")
# Passkey removed.
passkey_removed = _event("passkey_removed", "user_id")
# The region's look changed.
region_look_changed = _event("region_look_changed")
# The region's settings changed.
region_settings_changed = _event("region_settings_changed", "**")
# Advice given.
rights_advice_given = _event("rights_advice_given", "rights_request advice")
# Advice requested from professional.
rights_advice_requested = _event("rights_advice_requested", "rights_request")
# Copy made.
rights_copy_issued = _event("rights_copy_issued", "rights_request")
# Decision letter made (the letter names the youth).
rights_decision_letter_made = _event("rights_decision_letter_made", "rights_request_id form")
# Overview for access viewed.
rights_overview_viewed = _event("rights_overview_viewed", "rights_request")
# Request dealt with.
rights_request_completed = _event("rights_request_completed", "rights_request answered_how")
# Decision on request.
rights_request_decided = _event("rights_request_decided", "rights_request upheld signals_destroyed")
# Reminder of request deadline sent.
rights_request_overdue_reminded = _event("rights_request_overdue_reminded", "rights_request")
# Request registered.
rights_request_registered = _event("rights_request_registered", "rights_request kind")
# Youth looked up for a request.
rights_youth_lookup = _event("rights_youth_lookup", "found brp municipality")
# Archive shown to professional.
signal_archive_shown = _event("signal_archive_shown", "shown_signal_ids")
# Signal ended.
signal_ended = _event("signal_ended", "reason outcome archive_until")
# Signal expired.
signal_expired = _event("signal_expired", "reason outcome archive_until")
# Signal extended.
signal_extended = _event("signal_extended", "ends_on_before ends_on informing_status **")
# Informing updated.
signal_informing_updated = _event("signal_informing_updated", "informing_status **")
# Signal placed.
signal_placed = _event("signal_placed", "organisation_id ends_on informing_status")
# Signal transferred.
signal_transferred = _event("signal_transferred", "from_user_id to_user_id")
# An organisation's signalling profile changed.
signalling_profile_changed = _event("signalling_profile_changed", "organisation")
# Signed in through the own organisation.
signed_in_via_organisation = _event("signed_in_via_organisation", "organisation_id")
# A user's two-step verification reset.
two_factor_reset = _event("two_factor_reset", "user_id")
# User invited.
user_invited = _event("user_invited", "user_id role membership_id")
# Youth's details viewed.
youth_data_viewed = _event("youth_data_viewed", "page signal_ids?")


def federation_rights_inquiry_sent(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
    deployments: list[str],
    signals: int,
    unavailable: list[str],
) -> LogEntry:
    """Other deployments asked through the hub about their signals on the youth of a citizen's request."""
    return log_event(
        action="federation_rights_inquiry_sent",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
        deployments=deployments,
        signals=signals,
        unavailable=unavailable,
    )


def federation_rights_inquiry_answered(
    *, region_id: int, youth_pseudonym: str, signal_id: int, from_deployment: str, request_reference: str, kind: str
) -> LogEntry:
    """Another deployment's citizen's request (its reference at the hub) was answered with this signal's details."""
    return log_event(
        action="federation_rights_inquiry_answered",
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        from_deployment=from_deployment,
        request_reference=request_reference,
        kind=kind,
    )


def signal_unborn_born(
    *, region_id: int, youth_pseudonym: str, signal_id: int, unborn_youth_pseudonym: str = ""
) -> LogEntry:
    """A signal on an unborn child moved to the child at birth (docs/adr/0030-unborn-children.md).

    Written twice: in the child's history (with the unborn row's pseudonym) and in the unborn row's own.
    """
    details = {"unborn_youth_pseudonym": unborn_youth_pseudonym} if unborn_youth_pseudonym else {}
    return log_event(
        action="signal_unborn_born",
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        **details,
    )


def lookup_alert(
    *,
    kind: str,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    **details: Any,
) -> LogEntry:
    """The process managers are alerted about someone's look-ups; `kind` is one of LOOKUP_ALERTS."""
    if kind not in LOOKUP_ALERTS:
        raise ValueError(f"not a look-up alert: {kind}")
    return log_event(
        action=kind, actor=actor, request=request, region_id=region_id, youth_pseudonym=youth_pseudonym, **details
    )

"""One typed function per kind of event the logbook records: what the event is about, and nothing else to know.

Who, from where and in which region come from the context (audit.context) unless the caller names them; the entry
goes in with the caller's transaction and is sealed after the commit (docs/adr/0002-logbook.md), so a caller logs
wherever it likes. Each code has its label in audit.actions. Other apps call these, never `log_event` itself
(tests/audit/test_logbook_events.py); the life cycle's batches go through `services.log_events`.
Details must never hold a BSN or a name.
"""

from typing import TYPE_CHECKING

from .models import LogEntry
from .services import log_event

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as Actor
    from django.http import HttpRequest

# the alerts of the look-up guard (persons/guards.py): one function, the kind named
LOOKUP_ALERTS = frozenset(
    {"bsn_enumeration_suspected", "bsn_enumeration_by_organisation_suspected", "birth_date_guessing_suspected"}
)


def _cover(on_behalf_of_user_id: int | None, acted_as: str) -> dict:
    """The details of an act by a colleague covering for the signal's professional (waarneming), if it was one."""
    return {"on_behalf_of_user_id": on_behalf_of_user_id, "acted_as": acted_as} if on_behalf_of_user_id else {}


def federation_partner_received(*, signal_id: int, deployment: str, reference: str) -> LogEntry:
    """Contact details of a matched signal in another deployment were received through the hub (docs/federation.md)."""
    return log_event(
        action="federation_partner_received", signal_id=signal_id, deployment=deployment, reference=reference
    )


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


def signal_unborn_date_updated(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int,
    youth_pseudonym: str,
    signal_id: int,
    expected_before: str,
    expected: str,
) -> LogEntry:
    """The professional gave a new expected date of birth for the unborn child."""
    return log_event(
        action="signal_unborn_date_updated",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        expected_before=expected_before,
        expected=expected,
    )


def logbook_searched_by_bsn(*, youth_pseudonym: str) -> LogEntry:
    """A process manager searched the region's logbook for one youth (by the BSN's pseudonym, never the BSN)."""
    return log_event(action="logbook_searched_by_bsn", youth_pseudonym=youth_pseudonym)


def lookup_alert(
    *,
    kind: str,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    **details: object,
) -> LogEntry:
    """The process managers are alerted about someone's look-ups; `kind` is one of LOOKUP_ALERTS."""
    if kind not in LOOKUP_ALERTS:
        raise ValueError(f"not a look-up alert: {kind}")
    return log_event(
        action=kind, actor=actor, request=request, region_id=region_id, youth_pseudonym=youth_pseudonym, **details
    )


def api_call(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    api_client_id: int,
    client_id: str,
    api_client: str,
    method: str,
    endpoint: str,
    status: int,
    **details: object,
) -> LogEntry:
    """API call made by a connected system."""
    return log_event(
        action="api_call",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        api_client_id=api_client_id,
        client_id=client_id,
        api_client=api_client,
        method=method,
        endpoint=endpoint,
        status=status,
        **details,
    )


def api_client_created(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    api_client_id: int,
    client_id: str,
    organisation_id: int,
    certificate_pinned: bool,
) -> LogEntry:
    """API client created."""
    return log_event(
        action="api_client_created",
        actor=actor,
        request=request,
        region_id=region_id,
        api_client_id=api_client_id,
        client_id=client_id,
        organisation_id=organisation_id,
        certificate_pinned=certificate_pinned,
    )


def api_client_revoked(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    api_client_id: int,
    client_id: str,
) -> LogEntry:
    """API client revoked."""
    return log_event(
        action="api_client_revoked",
        actor=actor,
        request=request,
        region_id=region_id,
        api_client_id=api_client_id,
        client_id=client_id,
    )


def brp_lookup(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    youth_pseudonym: str = "",
    outcome: str,
    **details: object,
) -> LogEntry:
    """A youth looked up in the BRP, with the outcome (found, not matched, deceased)."""
    return log_event(
        action="brp_lookup", actor=actor, request=request, youth_pseudonym=youth_pseudonym, outcome=outcome, **details
    )


def brp_lookup_refused(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    reason: str,
) -> LogEntry:
    """Look-up refused (too many look-ups)."""
    return log_event(
        action="brp_lookup_refused",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        reason=reason,
    )


def contact_details_changed(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, user_id: int, signals_updated: int
) -> LogEntry:
    """Contact details changed."""
    return log_event(
        action="contact_details_changed", actor=actor, request=request, user_id=user_id, signals_updated=signals_updated
    )


def coordinator_rule_added(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    sector: str,
    subtype: str,
) -> LogEntry:
    """Match coordination rule added."""
    return log_event(
        action="coordinator_rule_added",
        actor=actor,
        request=request,
        region_id=region_id,
        sector=sector,
        subtype=subtype,
    )


def coordinator_rule_moved(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    rule: int,
    direction: str,
) -> LogEntry:
    """Match coordination rule moved."""
    return log_event(
        action="coordinator_rule_moved",
        actor=actor,
        request=request,
        region_id=region_id,
        rule=rule,
        direction=direction,
    )


def coordinator_rule_removed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    sector: str,
    subtype: str,
) -> LogEntry:
    """Match coordination rule removed."""
    return log_event(
        action="coordinator_rule_removed",
        actor=actor,
        request=request,
        region_id=region_id,
        sector=sector,
        subtype=subtype,
    )


def cover_created(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation_id: int,
    cover_id: int,
    absent_user_id: int,
    covering_user_id: int,
    starts_on: str,
    ends_on: str,
) -> LogEntry:
    """Cover recorded."""
    return log_event(
        action="cover_created",
        actor=actor,
        request=request,
        region_id=region_id,
        organisation_id=organisation_id,
        cover_id=cover_id,
        absent_user_id=absent_user_id,
        covering_user_id=covering_user_id,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def cover_withdrawn(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, cover_id: int
) -> LogEntry:
    """Cover withdrawn."""
    return log_event(action="cover_withdrawn", actor=actor, request=request, region_id=region_id, cover_id=cover_id)


def email_failing(*, actor: "Actor | None" = None, user_id: int) -> LogEntry:
    """A user's e-mail address marked as unreachable."""
    return log_event(action="email_failing", actor=actor, user_id=user_id)


def enrolment_link_used(*, actor: "Actor | None" = None, region_id: int | None = None, user_id: int) -> LogEntry:
    """Link for new two-step verification used."""
    return log_event(action="enrolment_link_used", actor=actor, region_id=region_id, user_id=user_id)


def external_identity_linked(
    *, actor: "Actor | None" = None, region_id: int | None = None, organisation_id: int, user_id: int
) -> LogEntry:
    """Account linked to the account at the own organisation."""
    return log_event(
        action="external_identity_linked",
        actor=actor,
        region_id=region_id,
        organisation_id=organisation_id,
        user_id=user_id,
    )


def follow_up_checked(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    signal_id: int | None = None,
    match: str,
) -> LogEntry:
    """A match's follow-up checked."""
    return log_event(
        action="follow_up_checked", actor=actor, request=request, region_id=region_id, signal_id=signal_id, match=match
    )


def identity_provider_saved(
    *, actor: "Actor | None" = None, region_id: int | None = None, organisation_id: int, use: str, active: bool
) -> LogEntry:
    """Sign-in through the organisation configured."""
    return log_event(
        action="identity_provider_saved",
        actor=actor,
        region_id=region_id,
        organisation_id=organisation_id,
        use=use,
        active=active,
    )


def institutional_address_added(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, address: int
) -> LogEntry:
    """Institutional address added."""
    return log_event(
        action="institutional_address_added", actor=actor, request=request, region_id=region_id, address=address
    )


def institutional_address_removed(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, address: int
) -> LogEntry:
    """Institutional address removed."""
    return log_event(
        action="institutional_address_removed", actor=actor, request=request, region_id=region_id, address=address
    )


def invitation_accepted(*, actor: "Actor | None" = None, region_id: int | None = None, user_id: int) -> LogEntry:
    """Invitation accepted."""
    return log_event(action="invitation_accepted", actor=actor, region_id=region_id, user_id=user_id)


def match_coordinator_changed(
    *,
    actor: "Actor | None" = None,
    signal_id: int | None = None,
    previous_signal_id: int | None,
    match: str,
    reason: str,
    on_behalf_of_user_id: int | None = None,
    acted_as: str = "",
) -> LogEntry:
    """Match coordinator changed."""
    return log_event(
        action="match_coordinator_changed",
        actor=actor,
        signal_id=signal_id,
        previous_signal_id=previous_signal_id,
        match=match,
        reason=reason,
        **_cover(on_behalf_of_user_id, acted_as),
    )


def match_created(
    *,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    match: str,
    merged: list[int],
    links: list[dict],
) -> LogEntry:
    """Match created; professionals with an active signal e-mailed."""
    return log_event(
        action="match_created",
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        match=match,
        merged=merged,
        links=links,
    )


def match_follow_up_recorded(
    *,
    actor: "Actor | None" = None,
    signal_id: int | None = None,
    match: str,
    contacts: dict[str, str | None],
    coordination_agreed_on: str | None,
    on_behalf_of_user_id: int | None = None,
    acted_as: str = "",
) -> LogEntry:
    """Match follow-up recorded."""
    return log_event(
        action="match_follow_up_recorded",
        actor=actor,
        signal_id=signal_id,
        match=match,
        contacts=contacts,
        coordination_agreed_on=coordination_agreed_on,
        **_cover(on_behalf_of_user_id, acted_as),
    )


def match_handover_declined(
    *,
    actor: "Actor | None" = None,
    signal_id: int | None = None,
    match: str,
    on_behalf_of_user_id: int | None = None,
    acted_as: str = "",
) -> LogEntry:
    """Transfer of match coordination declined."""
    return log_event(
        action="match_handover_declined",
        actor=actor,
        signal_id=signal_id,
        match=match,
        **_cover(on_behalf_of_user_id, acted_as),
    )


def match_handover_proposed(
    *,
    actor: "Actor | None" = None,
    signal_id: int | None = None,
    proposed_signal_id: int,
    match: str,
    on_behalf_of_user_id: int | None = None,
    acted_as: str = "",
) -> LogEntry:
    """Transfer of match coordination proposed."""
    return log_event(
        action="match_handover_proposed",
        actor=actor,
        signal_id=signal_id,
        proposed_signal_id=proposed_signal_id,
        match=match,
        **_cover(on_behalf_of_user_id, acted_as),
    )


def matches_viewed(
    *, request: "HttpRequest | None" = None, youth_pseudonym: str = "", signal_id: int | None = None, match: str
) -> LogEntry:
    """Matches viewed."""
    return log_event(
        action="matches_viewed", request=request, youth_pseudonym=youth_pseudonym, signal_id=signal_id, match=match
    )


def membership_deactivated(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    membership_id: int,
    user_id: int,
    organisation_id: int,
) -> LogEntry:
    """A user's membership ended."""
    return log_event(
        action="membership_deactivated",
        actor=actor,
        request=request,
        region_id=region_id,
        membership_id=membership_id,
        user_id=user_id,
        organisation_id=organisation_id,
    )


def move_notice_created(*, region_id: int | None = None, notice: int, signals: int) -> LogEntry:
    """Move to another region reported."""
    return log_event(action="move_notice_created", region_id=region_id, notice=notice, signals=signals)


def move_notice_handled(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, notice: int
) -> LogEntry:
    """Move notice dealt with."""
    return log_event(action="move_notice_handled", actor=actor, request=request, region_id=region_id, notice=notice)


def municipality_added(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, cbs_code: str
) -> LogEntry:
    """Municipality added to the region."""
    return log_event(action="municipality_added", actor=actor, request=request, region_id=region_id, cbs_code=cbs_code)


def municipality_changed(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None, cbs_code: str
) -> LogEntry:
    """A municipality's details changed."""
    return log_event(
        action="municipality_changed", actor=actor, request=request, region_id=region_id, cbs_code=cbs_code
    )


def notification_sent(*, kind: str, recipient_id: int) -> LogEntry:
    """E-mail sent."""
    return log_event(action="notification_sent", kind=kind, recipient_id=recipient_id)


def organisation_changed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation: int,
    fields: list[str],
) -> LogEntry:
    """An organisation's details changed."""
    return log_event(
        action="organisation_changed",
        actor=actor,
        request=request,
        region_id=region_id,
        organisation=organisation,
        fields=fields,
    )


def organisation_created(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation: int,
) -> LogEntry:
    """Organisation created."""
    return log_event(
        action="organisation_created", actor=actor, request=request, region_id=region_id, organisation=organisation
    )


def organisation_deactivated(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation: int,
    signals_ended: int,
) -> LogEntry:
    """Organisation deactivated."""
    return log_event(
        action="organisation_deactivated",
        actor=actor,
        request=request,
        region_id=region_id,
        organisation=organisation,
        signals_ended=signals_ended,
    )


def organisation_reactivated(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation: int,
) -> LogEntry:
    """Organisation reactivated."""
    return log_event(
        action="organisation_reactivated", actor=actor, request=request, region_id=region_id, organisation=organisation
    )


def organisation_team_contact_set(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation_id: int,
    signals_updated: int,
) -> LogEntry:
    """Organisation team contact set."""
    return log_event(
        action="organisation_team_contact_set",
        actor=actor,
        request=request,
        region_id=region_id,
        organisation_id=organisation_id,
        signals_updated=signals_updated,
    )


def passkey_removed(*, actor: "Actor | None" = None, request: "HttpRequest | None" = None, user_id: int) -> LogEntry:
    """Passkey removed."""
    return log_event(action="passkey_removed", actor=actor, request=request, user_id=user_id)


def region_look_changed(
    *, actor: "Actor | None" = None, request: "HttpRequest | None" = None, region_id: int | None = None
) -> LogEntry:
    """The region's look changed."""
    return log_event(action="region_look_changed", actor=actor, request=request, region_id=region_id)


def region_settings_changed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    **details: object,
) -> LogEntry:
    """The region's settings changed."""
    return log_event(action="region_settings_changed", actor=actor, request=request, region_id=region_id, **details)


def rights_advice_given(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    rights_request: int,
    advice: str,
) -> LogEntry:
    """Advice given."""
    return log_event(
        action="rights_advice_given",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        rights_request=rights_request,
        advice=advice,
    )


def rights_advice_requested(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    rights_request: int,
) -> LogEntry:
    """Advice requested from professional."""
    return log_event(
        action="rights_advice_requested",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        rights_request=rights_request,
    )


def rights_copy_issued(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
) -> LogEntry:
    """Copy made."""
    return log_event(
        action="rights_copy_issued",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
    )


def rights_decision_letter_made(
    *,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request_id: int,
    form: str,
) -> LogEntry:
    """Decision letter made (the letter names the youth)."""
    return log_event(
        action="rights_decision_letter_made",
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request_id=rights_request_id,
        form=form,
    )


def rights_overview_viewed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
) -> LogEntry:
    """Overview for access viewed."""
    return log_event(
        action="rights_overview_viewed",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
    )


def rights_request_completed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
    answered_how: str,
) -> LogEntry:
    """Request dealt with."""
    return log_event(
        action="rights_request_completed",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
        answered_how=answered_how,
    )


def rights_request_decided(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
    upheld: bool,
    signals_destroyed: list[int],
) -> LogEntry:
    """Decision on request."""
    return log_event(
        action="rights_request_decided",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
        upheld=upheld,
        signals_destroyed=signals_destroyed,
    )


def rights_request_overdue_reminded(*, region_id: int | None = None, rights_request: int) -> LogEntry:
    """Reminder of request deadline sent."""
    return log_event(action="rights_request_overdue_reminded", region_id=region_id, rights_request=rights_request)


def rights_request_registered(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    rights_request: int,
    kind: str,
) -> LogEntry:
    """Request registered."""
    return log_event(
        action="rights_request_registered",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        rights_request=rights_request,
        kind=kind,
    )


def rights_youth_lookup(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    found: bool,
    brp: bool,
    municipality: str,
) -> LogEntry:
    """Youth looked up for a request."""
    return log_event(
        action="rights_youth_lookup",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        found=found,
        brp=brp,
        municipality=municipality,
    )


def signal_archive_shown(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    shown_signal_ids: list[int],
) -> LogEntry:
    """Archive shown to professional."""
    return log_event(
        action="signal_archive_shown",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        shown_signal_ids=shown_signal_ids,
    )


def signal_ended(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    reason: str,
    outcome: str,
    archive_until: str,
) -> LogEntry:
    """Signal ended."""
    return log_event(
        action="signal_ended",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        reason=reason,
        outcome=outcome,
        archive_until=archive_until,
    )


def signal_expired(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    reason: str,
    outcome: str,
    archive_until: str,
) -> LogEntry:
    """Signal expired."""
    return log_event(
        action="signal_expired",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        reason=reason,
        outcome=outcome,
        archive_until=archive_until,
    )


def signal_extended(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    ends_on_before: str,
    ends_on: str,
    informing_status: str,
    **details: object,
) -> LogEntry:
    """Signal extended."""
    return log_event(
        action="signal_extended",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        ends_on_before=ends_on_before,
        ends_on=ends_on,
        informing_status=informing_status,
        **details,
    )


def signal_informing_updated(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    informing_status: str,
    **details: object,
) -> LogEntry:
    """Informing updated."""
    return log_event(
        action="signal_informing_updated",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        informing_status=informing_status,
        **details,
    )


def signal_placed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    organisation_id: int,
    ends_on: str,
    informing_status: str,
) -> LogEntry:
    """Signal placed."""
    return log_event(
        action="signal_placed",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        organisation_id=organisation_id,
        ends_on=ends_on,
        informing_status=informing_status,
    )


def signal_transferred(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    from_user_id: int,
    to_user_id: int,
) -> LogEntry:
    """Signal transferred."""
    return log_event(
        action="signal_transferred",
        actor=actor,
        request=request,
        region_id=region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        from_user_id=from_user_id,
        to_user_id=to_user_id,
    )


def signalling_profile_changed(
    *,
    actor: "Actor | None" = None,
    request: "HttpRequest | None" = None,
    region_id: int | None = None,
    organisation: int,
) -> LogEntry:
    """An organisation's signalling profile changed."""
    return log_event(
        action="signalling_profile_changed",
        actor=actor,
        request=request,
        region_id=region_id,
        organisation=organisation,
    )


def signed_in_via_organisation(
    *, actor: "Actor | None" = None, region_id: int | None = None, organisation_id: int
) -> LogEntry:
    """Signed in through the own organisation."""
    return log_event(
        action="signed_in_via_organisation", actor=actor, region_id=region_id, organisation_id=organisation_id
    )


def two_factor_reset(*, actor: "Actor | None" = None, region_id: int | None = None, user_id: int) -> LogEntry:
    """A user's two-step verification reset."""
    return log_event(action="two_factor_reset", actor=actor, region_id=region_id, user_id=user_id)


def user_invited(
    *, actor: "Actor | None" = None, region_id: int | None = None, user_id: int, role: str, membership_id: int
) -> LogEntry:
    """User invited."""
    return log_event(
        action="user_invited", actor=actor, region_id=region_id, user_id=user_id, role=role, membership_id=membership_id
    )


def youth_data_viewed(
    *,
    request: "HttpRequest | None" = None,
    youth_pseudonym: str = "",
    page: str,
    signal_id: int | None = None,
    signal_ids: list[int] | None = None,
) -> LogEntry:
    """Youth's details viewed."""
    return log_event(
        action="youth_data_viewed",
        request=request,
        youth_pseudonym=youth_pseudonym,
        page=page,
        signal_id=signal_id,
        signal_ids=signal_ids,
    )

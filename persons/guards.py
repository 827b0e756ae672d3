"""Guards on looking people up: nobody can search (docs/adr/0003-look-up-limits.md).

Every channel that tells whether a youth is known (placing a signal in the browser or through the API,
registering a citizen's request, the logbook's BSN search) passes here first. Each look-up is counted from
the logbook, per user and per API client organisation, and a user who guesses dates of birth for one BSN is
stopped for that BSN. The first refusal (or a reached guess limit) raises one alert in the logbook and tells
the region's process managers, without any personal data.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import events as audit_events
from audit.models import LogEntry
from core.notices import process_managers_notify

from .bsn import bsn_normalise, bsn_pseudonym
from .exceptions import PersonLookupError

LOOKUP_ACTION = "brp_lookup"
RIGHTS_LOOKUP_ACTION = "rights_youth_lookup"
LOGBOOK_LOOKUP_ACTION = "logbook_searched_by_bsn"
# every logbook action that tells its actor something about a youth named by BSN: they count toward the limit
LOOKUP_ACTIONS = (LOOKUP_ACTION, RIGHTS_LOOKUP_ACTION, LOGBOOK_LOOKUP_ACTION)
REFUSED_ACTION = "brp_lookup_refused"
ALERT_ACTION = "bsn_enumeration_suspected"
ORGANISATION_ALERT_ACTION = "bsn_enumeration_by_organisation_suspected"
GUESS_ALERT_ACTION = "birth_date_guessing_suspected"
# the outcome of a look-up whose BSN and date of birth did not agree with the BRP (or whose BSN it does not know)
NOT_MATCHED = "not_matched"
WINDOW = datetime.timedelta(hours=1)
GUESS_WINDOW = datetime.timedelta(hours=24)


class LookupRateLimited(PersonLookupError):
    code = "lookup_rate_limited"
    status_code = 429
    message = _(
        "U heeft in korte tijd erg veel verschillende burgerservicenummers opgezocht. Om misbruik te voorkomen "
        "kunt u een uur lang niemand meer opzoeken. De procesmanager van uw regio is hiervan op de hoogte."
    )


class OrganisationLookupRateLimited(LookupRateLimited):
    code = "organisation_lookup_rate_limited"
    message = _(
        "Via de API-koppelingen van uw organisatie zijn in korte tijd erg veel verschillende burgerservicenummers "
        "opgezocht. Om misbruik te voorkomen kan uw organisatie een uur lang niemand meer opzoeken. De "
        "procesmanager van uw regio is hiervan op de hoogte."
    )


class BirthDateAttemptsExceeded(PersonLookupError):
    code = "birth_date_attempts_exceeded"
    status_code = 429
    message = _(
        "U heeft voor dit burgerservicenummer te vaak een geboortedatum opgegeven die er niet bij past. U kunt "
        "deze persoon 24 uur lang niet opzoeken. De procesmanager van uw regio is hiervan op de hoogte."
    )


def _acting(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _region_of(*, request, region, actor):
    """The region whose process managers hear of an alert: given, the request's, or the actor's first role's."""
    if region is not None:
        return region
    region = getattr(request, "region", None)
    if region is not None:
        return region
    membership = actor.memberships.filter(active=True).select_related("organisation", "municipality").first()
    if membership is None:
        return None
    # the region of the membership's scope, through its relations (persons does not import regions)
    if membership.organisation_id:
        return membership.organisation.region
    if membership.municipality_id:
        return membership.municipality.region
    return membership.region


def _refuse(*, error: PersonLookupError, actor, request, region, pseudonym: str, action: str, alert_details: dict):
    """Log the refused attempt (so the youth's inzage shows it), alert once per window, raise."""
    audit_events.brp_lookup_refused(
        actor=actor,
        request=request,
        region_id=region.pk if region is not None else None,
        youth_pseudonym=pseudonym,
        reason=error.code,
    )
    alert_once(actor=actor, request=request, region=region, action=action, **alert_details)
    raise error


def lookup_rate_check(
    *, actor, request=None, pseudonym: str, limit: int | None = None, organisation=None, region=None
) -> None:
    """Refuse a look-up when the actor (or, given, the API client's organisation) looked up too many youths.

    Counted from the logbook, not the cache, so the limit holds when Redis is down and across workers.
    Looking the same youth up again does not count. `limit` is the actor's; default BSN_LOOKUP_LIMIT_PER_HOUR.
    Also refuses a BSN for which the actor gave too many wrong dates of birth (see `birth_date_guess_record`).
    Call it outside any transaction: the refusal is logged and must stay logged.
    """
    if not _acting(actor):
        return
    region = _region_of(request=request, region=region, actor=actor)
    since = timezone.now() - WINDOW
    if birth_date_guesses(actor=actor, pseudonym=pseudonym) >= settings.BSN_BIRTH_DATE_ATTEMPTS:
        _refuse(
            error=BirthDateAttemptsExceeded(),
            actor=actor,
            request=request,
            region=region,
            pseudonym=pseudonym,
            action=GUESS_ALERT_ACTION,
            alert_details={"since": timezone.now() - GUESS_WINDOW, "pseudonym": pseudonym},
        )
    looked_up = set(
        LogEntry.objects.filter(actor_id=actor.pk, action__in=LOOKUP_ACTIONS, created_at__gte=since)
        .exclude(youth_pseudonym="")
        .values_list("youth_pseudonym", flat=True)
        .distinct()
    )
    limit = settings.BSN_LOOKUP_LIMIT_PER_HOUR if limit is None else limit
    if pseudonym not in looked_up and len(looked_up) >= limit:
        _refuse(
            error=LookupRateLimited(),
            actor=actor,
            request=request,
            region=region,
            pseudonym=pseudonym,
            action=ALERT_ACTION,
            alert_details={"since": since, "distinct_lookups": len(looked_up)},
        )
    if organisation is None:
        return
    by_organisation = set(
        LogEntry.objects.filter(
            action=LOOKUP_ACTION, created_at__gte=since, details__api_organisation_id=organisation.pk
        )
        .exclude(youth_pseudonym="")
        .values_list("youth_pseudonym", flat=True)
        .distinct()
    )
    if pseudonym not in by_organisation and len(by_organisation) >= settings.BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION:
        _refuse(
            error=OrganisationLookupRateLimited(),
            actor=actor,
            request=request,
            region=region or organisation.region,
            pseudonym=pseudonym,
            action=ORGANISATION_ALERT_ACTION,
            alert_details={
                "since": since,
                "distinct_lookups": len(by_organisation),
                "organisation_id": organisation.pk,
            },
        )


def birth_date_guesses(*, actor, pseudonym: str) -> int:
    """How many look-ups of this BSN by this actor did not agree with the BRP in the last 24 hours."""
    return LogEntry.objects.filter(
        actor_id=actor.pk,
        action=LOOKUP_ACTION,
        youth_pseudonym=pseudonym,
        created_at__gte=timezone.now() - GUESS_WINDOW,
        details__outcome=NOT_MATCHED,
    ).count()


def birth_date_guess_record(*, actor, request=None, pseudonym: str, region=None) -> None:
    """After a look-up that did not match: alert the process managers once the actor reached the guess limit."""
    if not _acting(actor):
        return
    if birth_date_guesses(actor=actor, pseudonym=pseudonym) >= settings.BSN_BIRTH_DATE_ATTEMPTS:
        alert_once(
            actor=actor,
            request=request,
            region=_region_of(request=request, region=region, actor=actor),
            action=GUESS_ALERT_ACTION,
            since=timezone.now() - GUESS_WINDOW,
            pseudonym=pseudonym,
        )


_ALERT_REASONS = {
    ALERT_ACTION: _("heeft in het afgelopen uur erg veel verschillende jeugdigen opgezocht"),
    ORGANISATION_ALERT_ACTION: _(
        "zocht via een API-koppeling op toen de koppelingen van de organisatie in het afgelopen uur al erg veel "
        "verschillende jeugdigen hadden opgezocht"
    ),
    GUESS_ALERT_ACTION: _("gaf voor één burgerservicenummer herhaaldelijk een geboortedatum op die er niet bij past"),
}


def alert_once(*, actor, request, region, action: str, since, pseudonym: str = "", **details) -> None:
    """One alert per actor, kind (and BSN, for guessing) and window: a logbook entry and an e-mail to the region."""
    earlier = LogEntry.objects.filter(actor_id=actor.pk, action=action, created_at__gte=since)
    if pseudonym:
        earlier = earlier.filter(youth_pseudonym=pseudonym)
    if earlier.exists():
        return
    entry = audit_events.lookup_alert(
        kind=action,
        actor=actor,
        request=request,
        region_id=region.pk if region is not None else None,
        youth_pseudonym=pseudonym,
        **details,
    )
    if region is None:
        return
    process_managers_notify(
        region=region,
        kind="bsn_enumeration_alert",
        subject=str(_("Verwijsindex: ongebruikelijk veel opzoekingen door één gebruiker")),
        template="persons/email/enumeration_alert",
        context={
            "actor_name": actor.full_name or actor.email,
            "reason": str(_ALERT_REASONS[action]),
            "log_entry_id": entry.pk,
        },
        dedupe_key=f"bsn-enumeration:{entry.pk}",
    )


def logbook_search_check(*, bsn: str, actor, request, region, limit: int) -> tuple[str, str]:
    """The answer to audit.hooks.bsn_search_checked: the pseudonym to search the logbook by, or the refusal.

    A search by BSN tells whether the youth appears in the logbook: limited like every look-up.
    """
    try:
        pseudonym = bsn_pseudonym(bsn_normalise(bsn))
        lookup_rate_check(actor=actor, request=request, pseudonym=pseudonym, limit=limit, region=region)
    except PersonLookupError as refused:
        return "", str(refused.message)
    return pseudonym, ""

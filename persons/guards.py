"""Guards on looking people up: one professional looking up many different BSNs is stopped and reported."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import LogEntry
from audit.services import log_event

from .exceptions import PersonLookupError

LOOKUP_ACTION = "brp_lookup"
ALERT_ACTION = "bsn_enumeration_suspected"
WINDOW = datetime.timedelta(hours=1)


class LookupRateLimited(PersonLookupError):
    message = _(
        "U heeft in korte tijd erg veel verschillende burgerservicenummers opgezocht. Om misbruik te voorkomen "
        "kunt u een uur lang niemand meer opzoeken. De procesmanager van uw regio is hiervan op de hoogte."
    )


def lookup_rate_check(*, actor, request=None, pseudonym: str) -> None:
    """Refuse a look-up when the actor looked up too many different youths in the last hour.

    Counted from the logbook, not the cache, so the limit holds when Redis is down and across workers.
    Looking the same youth up again does not count. The first refusal in a window raises an alert
    in the logbook and tells the region's process managers (without any personal data).
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    since = timezone.now() - WINDOW
    looked_up = (
        LogEntry.objects.filter(actor_id=actor.pk, action=LOOKUP_ACTION, created_at__gte=since)
        .exclude(youth_pseudonym="")
        .values_list("youth_pseudonym", flat=True)
        .distinct()
    )
    distinct = set(looked_up)
    if pseudonym in distinct or len(distinct) < settings.BSN_LOOKUP_LIMIT_PER_HOUR:
        return
    _alert_once(actor=actor, request=request, since=since, looked_up=len(distinct))
    raise LookupRateLimited()


def _alert_once(*, actor, request, since, looked_up: int) -> None:
    from regions.services import process_managers_notify

    if LogEntry.objects.filter(actor_id=actor.pk, action=ALERT_ACTION, created_at__gte=since).exists():
        return
    region = getattr(request, "region", None)
    with transaction.atomic():
        entry = log_event(action=ALERT_ACTION, actor=actor, request=request, distinct_lookups=looked_up)
        if region is None:
            return
        process_managers_notify(
            region=region,
            kind="bsn_enumeration_alert",
            subject=str(_("Verwijsindex: ongebruikelijk veel opzoekingen door één gebruiker")),
            template="persons/email/enumeration_alert",
            context={"actor_name": actor.full_name or actor.email, "looked_up": looked_up, "log_entry_id": entry.pk},
            dedupe_key=f"bsn-enumeration:{entry.pk}",
        )

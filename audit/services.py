"""Writing to the logbook: one call per event, inside the caller's transaction."""

from .models import LogEntry

SYSTEM_ACTOR = "systeem"


def log_event(
    *,
    action: str,
    actor=None,
    request=None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    **details,
) -> LogEntry:
    """Record one event. `actor` is a user or None for a system job; `details` must hold no BSN or name."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return LogEntry.objects.create(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_label=(actor.full_name or actor.email) if actor is not None else SYSTEM_ACTOR,
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
        region_id=region_id if region_id is not None else getattr(getattr(request, "region", None), "pk", None),
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        details=details,
    )

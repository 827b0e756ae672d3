"""Many logbook entries at once (the life cycle writes one per signal it ends)."""

from audit import services as audit_services


def log_events(events: list[dict]) -> None:
    """Write each event (the keyword arguments of audit.services.log_event), in one go when audit offers that."""
    if not events:
        return
    bulk = getattr(audit_services, "log_events", None)
    if bulk is not None:
        bulk(events)
        return
    for event in events:
        audit_services.log_event(**event)

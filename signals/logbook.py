"""Many logbook entries at once (the life cycle writes one per signal it ends)."""

from audit import services as audit_services


def log_events(events: list[dict]) -> None:
    """Write each event (the keyword arguments of audit.services.log_event), in one COPY."""
    audit_services.log_events(events)

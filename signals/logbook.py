"""Many logbook entries at once (the life cycle writes one per signal it ends): audit.services.log_events."""

from audit.services import log_events

__all__ = ["log_events"]

"""One typed function per kind of event the logbook app itself records; other apps may add theirs alike.

Who, from where and in which region come from the context (audit.context), so these take only what the event is
about. Each code has its label in audit.actions.
"""

from .models import LogEntry
from .services import log_event


def logbook_searched_by_bsn(*, youth_pseudonym: str) -> LogEntry:
    """A process manager searched the region's logbook for one youth (by the BSN's pseudonym, never the BSN)."""
    return log_event(action="logbook_searched_by_bsn", youth_pseudonym=youth_pseudonym)

"""Logbook entries, written through log_event (the one way in), so each is sealed into the chain like any other."""

import factory

from audit.models import LogEntry
from audit.services import log_event


class LogEntryFactory(factory.Factory):
    """`LogEntryFactory(action=..., region_id=..., youth_pseudonym=..., signal_id=..., **details)`."""

    class Meta:
        model = LogEntry

    action = "signal_viewed"
    actor = None
    region_id = None
    youth_pseudonym = ""
    signal_id = None

    @classmethod
    def _create(cls, model_class, *, actor, youth_pseudonym, signal_id, **kwargs):
        return log_event(actor=actor, youth_pseudonym=youth_pseudonym, signal_id=signal_id, **kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("a logbook entry exists only once it is written: use create()")

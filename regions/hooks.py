"""Questions and events of regions that signals answers (core.hooks): regions does not import signals.

Signals registers its handlers in SignalsConfig.ready(). Each handler answers; the caller adds the answers up.
"""

from core.hooks import Hook

# fn(organisation) -> {professional (user) id: number of active signals in that organisation}
active_signals_counted = Hook("active signals of an organisation counted")
# fn(youth) -> the youth's active signals, oldest first, with their organisation
youth_active_signals = Hook("active signals of a youth")
# fn(organisation=, actor=, request=) -> the number of signals ended; in the deactivating transaction
organisation_deactivating = Hook("organisation deactivating")

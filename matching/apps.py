"""Match detection across youths, families, addresses and regions; the match coordinator; follow-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matches")

    def ready(self):
        from signals import hooks

        from . import handlers, selectors

        hooks.register_signal_placed(handlers.on_signal_placed)
        # an unborn child's signal moved to the born child: its keys are recomputed like a new placement's
        hooks.register_signal_youth_changed(handlers.on_signal_placed)
        hooks.match_counts_asked.register(selectors.match_counts_for_signals)
        # the batch form: the signals life cycle ends thousands of signals a night. The Match rows first (before
        # the statistics' counters, as in detection), the logbook rows of coordinator changes after every other
        # handler: the logbook's lock is held to the commit, so nothing may wait for another row after it
        hooks.register_signals_ending(handlers.on_signals_ending)
        hooks.register_signals_ending(handlers.on_signals_ending_log, writes_logbook=True)
        from persons.events import register_youth_change_handler

        register_youth_change_handler(handlers.on_youth_changed)

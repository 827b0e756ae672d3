"""Match detection across youths, families, addresses and regions; the match coordinator; follow-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matches")

    def ready(self):
        from signals import hooks

        from . import handlers

        hooks.register_signal_placed(handlers.on_signal_placed)
        # the batch form: the signals life cycle ends thousands of signals a night
        hooks.register_signals_ending(handlers.on_signals_ending)
        try:
            from persons.events import register_youth_change_handler
        except ImportError:  # the persons events land separately; until then no re-detection on BRP changes
            return
        register_youth_change_handler(handlers.on_youth_changed)

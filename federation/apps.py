from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("Landelijke koppeling")

    def ready(self):
        # a regional deployment linked to a hub tells it of its signals; the hub itself has no signals
        if getattr(settings, "VERWIJSINDEX_ROLE", "regional") == "regional" and "signals" in settings.INSTALLED_APPS:
            from signals.hooks import register_signal_placed, register_signals_ending

            from . import handlers

            register_signal_placed(handlers.on_signal_placed)
            register_signals_ending(handlers.on_signals_ending)
            if "matching" in settings.INSTALLED_APPS:
                from matching.hooks import register_national_part

                from .regional import national_parts_of_matches

                # a local match in a national match: its coordinator decided nationally, the other indexes' people
                register_national_part(national_parts_of_matches)
                from matching.hooks import register_national_page
                from signals.hooks import match_counts_asked

                from .selectors import match_counts_with_other_deployments, national_page_of_signal

                # a signal matched (also) with other deployments' signals: counted, and its matches lead there
                register_national_page(national_page_of_signal)
                match_counts_asked.register(match_counts_with_other_deployments, last=True)
        if getattr(settings, "VERWIJSINDEX_ROLE", "regional") == "regional" and "matching" in settings.INSTALLED_APPS:
            from matching import hooks as matching_hooks

            from . import followup

            matching_hooks.register_follow_up_recorded(followup.on_local_follow_up_recorded)
            matching_hooks.register_monitor_overdue_linked(followup.monitor_overdue_linked)
            matching_hooks.register_monitor_waiting_elsewhere(followup.monitor_waiting_elsewhere)
            matching_hooks.register_monitor_unmatched(followup.monitor_unmatched_overdue)
            matching_hooks.register_follow_ups_due_elsewhere(followup.follow_ups_due_elsewhere)

            from . import handover

            matching_hooks.register_national_handover(
                propose=handover.on_local_handover_propose, answer=handover.on_local_handover_answer
            )

"""The statistics app: counters are fed by the hooks of signals and matching."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Statistiek"

    def ready(self):
        from . import handlers

        handlers.register()

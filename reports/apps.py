"""The statistics app: counters are fed by the hooks of signals and matching."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Statistiek")

    def ready(self):
        from . import handlers

        handlers.register()

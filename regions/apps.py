"""Regions (tenants), their municipalities, organisations, convenant, coordinator rules and themes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regio's")

    def ready(self):
        from persons.events import register_youth_change_handler

        from . import handlers

        register_youth_change_handler(handlers.on_youth_changed)

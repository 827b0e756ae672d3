"""Regions (tenants), their municipalities, organisations, convenant, coordinator rules and themes."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Regio's"

    def ready(self):
        from persons.events import register_youth_change_handler

        from . import handlers

        register_youth_change_handler(handlers.on_youth_changed)

"""The signals app; registers the `__any` lookup, and its handlers on the persons and regions hooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    label = "signals"
    verbose_name = _("Signalen")

    def ready(self):
        from persons.events import register_unborn_births_handler, register_youth_change_handler
        from regions import hooks as region_hooks

        from . import (
            bulk,  # noqa: F401 - registers the `__any` lookup the life cycle and matching use
            handlers,
        )
        from .unborn import unborn_births

        register_youth_change_handler(handlers.youth_changed)
        register_unborn_births_handler(unborn_births)
        region_hooks.active_signals_counted.register(handlers.active_signals_counted)
        region_hooks.youth_active_signals.register(handlers.youth_active_signals)
        region_hooks.organisation_deactivating.register(handlers.organisation_deactivating)

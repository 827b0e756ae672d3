"""The signals app; registers the `__any` lookup, and the death handler with persons when that interface exists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    label = "signals"
    verbose_name = _("Signalen")

    def ready(self):
        from . import bulk  # noqa: F401 - registers the `__any` lookup the life cycle and matching use

        try:
            from persons.events import register_youth_change_handler
        except ImportError:
            return
        from persons.events import register_unborn_births_handler

        from .handlers import youth_changed
        from .unborn import unborn_births

        register_youth_change_handler(youth_changed)
        register_unborn_births_handler(unborn_births)

"""E-mail through an outbox: written with the change, sent exactly once, swept when left behind."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Berichten")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the provider's tracking events

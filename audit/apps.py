from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Logboek")

    def ready(self):
        from . import context  # noqa: F401 - connects the Celery task hooks that set the logbook's context

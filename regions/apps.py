"""Regions (tenants), their municipalities, organisations, convenant, coordinator rules and themes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regio's")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from audit.hooks import objects_named
        from core.notices import process_managers_told
        from persons.events import register_youth_change_handler

        from . import handlers, services
        from .logbook import logbook_objects_named
        from .models import Region
        from .selectors import region_hosts_forget

        register_youth_change_handler(handlers.on_youth_changed)
        process_managers_told.register(services.process_managers_told)
        objects_named.register(logbook_objects_named)
        post_save.connect(region_hosts_forget, sender=Region, dispatch_uid="region_hosts_forget_saved")
        post_delete.connect(region_hosts_forget, sender=Region, dispatch_uid="region_hosts_forget_deleted")

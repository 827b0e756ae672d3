"""Technical admin of requests: read-only and not deletable, without the encrypted BSN."""

from django.contrib import admin

from .models import AdviceTask, RightsRequest


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "municipality", "received_on", "deadline", "status")
    list_filter = ("kind", "status", "region")
    exclude = ("bsn_encrypted", "youth_pseudonym")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # a request records that staff looked a youth up; the database refuses the delete as well
        return False


@admin.register(AdviceTask)
class AdviceTaskAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation_name", "due_on", "given_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

"""The outbox in technical administration: read only, to see what was sent and what failed."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "recipient", "created_at", "sent_at", "attempts", "failed_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    exclude = ("context",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

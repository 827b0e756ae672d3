"""Technical administration of API clients: read and deactivate only; secrets are never shown or set here."""

from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "client_id", "organisation", "active", "revoked_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "client_id", "organisation__name")
    readonly_fields = (
        "organisation",
        "name",
        "client_id",
        "certificate_fingerprint",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )
    exclude = ("secret_sha256",)

    def has_add_permission(self, request):
        return False

"""Technical admin (/beheer/) for users, their roles and invitations. Passwords and second factors are never shown."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "region", "municipality"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_demo", "is_staff", "last_login"]
    list_filter = ["is_active", "is_demo", "is_staff", "memberships__role"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Gegevens"), {"fields": ("full_name", "phone", "notification_preference", "email_failing_since")}),
        (_("Toegang"), {"fields": ("is_active", "is_demo", "is_staff", "is_superuser")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["region"]
    search_fields = ["user__email"]
    # the token exists only in the e-mail; the hash is useless to show
    exclude = ["token_hash"]
    readonly_fields = ["user", "membership", "region", "invited_by", "created_at", "expires_at", "accepted_at"]

    def has_add_permission(self, request):
        return False

"""Matching in technical administration: read only (matches are made by detection, never by hand)."""

from django.contrib import admin

from .models import MatchCoordinator, MatchFollowUp, MatchLink


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchLink)
class MatchLinkAdmin(ReadOnlyAdmin):
    list_display = ("id", "signal_a", "signal_b", "kind", "created_at")
    list_filter = ("kind",)


@admin.register(MatchCoordinator)
class MatchCoordinatorAdmin(ReadOnlyAdmin):
    list_display = ("id", "youth", "signal", "assigned_at", "handed_over")


@admin.register(MatchFollowUp)
class MatchFollowUpAdmin(ReadOnlyAdmin):
    list_display = ("id", "youth", "contact_made_on", "coordination_agreed_on", "recorded_at")

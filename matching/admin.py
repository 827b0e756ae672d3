"""Matching in technical administration: read only (matches are made by detection, never by hand)."""

from django.contrib import admin

from .models import Match, MatchLink, MatchParticipation


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


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("reference", "created_at", "coordinator_signal", "region", "coordination_agreed_on")


@admin.register(MatchParticipation)
class MatchParticipationAdmin(ReadOnlyAdmin):
    list_display = ("id", "match", "signal", "joined_at", "contact_made_on")

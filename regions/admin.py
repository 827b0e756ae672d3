"""Technical admin (/beheer/) for regions, municipalities, organisations and the region's rules."""

from django.contrib import admin

from .models import CoordinatorRule, InstitutionalAddress, Municipality, Organisation, Region


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


class CoordinatorRuleInline(admin.TabularInline):
    model = CoordinatorRule
    extra = 0
    ordering = ["position"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "contact_email"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MunicipalityInline, CoordinatorRuleInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["cbs_code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sector", "subtype", "region", "convenant_date", "active"]
    list_filter = ["region", "sector", "subtype", "active"]
    search_fields = ["name", "code"]


@admin.register(InstitutionalAddress)
class InstitutionalAddressAdmin(admin.ModelAdmin):
    list_display = ["description", "postcode", "house_number", "house_letter", "house_number_addition", "region"]
    list_filter = ["region"]
    search_fields = ["description", "postcode"]
    # the pseudonym is derived from the BAG id by the region screens; editing it by hand breaks matching
    readonly_fields = ["bag_pseudonym"]

"""The process managers' screens: organisations, municipalities, coordinator rules, addresses, settings, look,
move notices."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.form_pages import form_action, form_data, refusal_show
from core.roles import Role, role_required

from .. import selectors, services
from ..bag import bag_lookup_available
from ..forms import (
    FONT_CHOICES,
    CoordinatorRuleForm,
    InstitutionalAddressForm,
    MunicipalityForm,
    MunicipalityNameForm,
    OrganisationDeactivateForm,
    OrganisationForm,
    RegionLookForm,
    RegionSettingsForm,
)
from ..services import THEME_CONTRAST, THEME_FONT, THEME_PRIMARY, RegionAdminError
from .invites import invite_page

process_manager_required = role_required(Role.PROCESS_MANAGER)


def _files(request):
    return request.FILES if request.method == "POST" else None


@process_manager_required
def manage_home(request):
    return render(request, "regions/manage_home.html", {"title": _("Beheer van de regio")})


@process_manager_required
def organisation_list(request):
    organisations = selectors.organisations_of_region(region=request.region)
    return render(
        request, "regions/organisation_list.html", {"organisations": organisations, "title": _("Organisaties")}
    )


@process_manager_required
def organisation_create(request):
    return form_action(
        request,
        OrganisationForm(form_data(request)),
        action=lambda data: services.organisation_create(
            region=request.region, data=data, actor=request.user, request=request
        ),
        done=lambda organisation: _("De organisatie %(name)s is toegevoegd.") % {"name": organisation.name},
        then=lambda organisation: redirect("regions:organisation_detail", organisation.pk),
        refusals=(RegionAdminError,),
        template="regions/organisation_form.html",
        context={"title": _("Organisatie toevoegen")},
    )


@process_manager_required
def organisation_detail(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)

    def context():
        organisation.refresh_from_db()  # a refused or invalid form has changed the instance in memory
        return {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "active_signals": selectors.active_signal_count(organisation=organisation),
            "title": organisation.name,
        }

    return form_action(
        request,
        OrganisationForm(form_data(request), instance=organisation),
        action=lambda data: services.organisation_update(
            organisation=organisation, data=data, actor=request.user, request=request
        ),
        done=_("De gegevens van de organisatie zijn opgeslagen."),
        then=lambda organisation: redirect("regions:organisation_detail", organisation.pk),
        refusals=(RegionAdminError,),
        template="regions/organisation_detail.html",
        context=context,
    )


@process_manager_required
def organisation_deactivate(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)
    if not organisation.active:
        messages.info(request, _("Deze organisatie is al gedeactiveerd."))
        return redirect("regions:organisation_detail", organisation.pk)

    def done(ended: int) -> str:
        text = _("De organisatie %(name)s is gedeactiveerd.") % {"name": organisation.name}
        if ended:
            text += " " + _("%(count)s actieve signalen zijn beëindigd en gearchiveerd.") % {"count": ended}
        return text

    return form_action(
        request,
        OrganisationDeactivateForm(form_data(request)),
        action=lambda data: services.organisation_deactivate(
            organisation=organisation,
            end_active_signals=data["end_active_signals"],
            actor=request.user,
            request=request,
        ),
        done=done,
        then="regions:organisation_list",
        refusals=(RegionAdminError,),
        template="regions/organisation_deactivate.html",
        context=lambda: {
            "organisation": organisation,
            "members": [m for m in selectors.organisation_members(organisation=organisation) if m.active_signals],
            "active_signals": selectors.active_signal_count(organisation=organisation),
            "title": _("Organisatie deactiveren"),
        },
    )


@process_manager_required
@require_POST
def organisation_reactivate(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)
    services.organisation_reactivate(organisation=organisation, actor=request.user, request=request)
    messages.success(
        request,
        _("De organisatie is weer actief. Nodig een coördinator uit; eerdere rollen blijven uitgeschakeld."),
    )
    return redirect("regions:organisation_detail", organisation.pk)


@process_manager_required
def organisation_coordinator_invite(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)
    return invite_page(
        request,
        organisation=organisation,
        role=Role.ORGANISATION_COORDINATOR,
        template="regions/invite.html",
        back=redirect("regions:organisation_detail", organisation.pk),
    )


@process_manager_required
def municipality_list(request):
    return form_action(
        request,
        MunicipalityForm(form_data(request)),
        action=lambda data: services.municipality_create(
            region=request.region, cbs_code=data["cbs_code"], name=data["name"], actor=request.user, request=request
        ),
        done=lambda municipality: _("Gemeente %(name)s is toegevoegd.") % {"name": municipality.name},
        then="regions:municipality_list",
        refusals=(RegionAdminError,),
        template="regions/municipality_list.html",
        context={"municipalities": selectors.municipalities_of_region(region=request.region), "title": _("Gemeenten")},
    )


@process_manager_required
def municipality_edit(request, pk):
    municipality = selectors.municipality_of_region(region=request.region, pk=pk)
    fields = ("name", "contact_email", "contact_phone", "contact_url")
    return form_action(
        request,
        MunicipalityNameForm(form_data(request), initial={field: getattr(municipality, field) for field in fields}),
        action=lambda data: services.municipality_update(
            municipality=municipality, **{field: data[field] for field in fields}, actor=request.user, request=request
        ),
        done=_("De gemeente is opgeslagen."),
        then="regions:municipality_list",
        template="regions/municipality_edit.html",
        context={"municipality": municipality, "title": _("Gemeente wijzigen")},
    )


@process_manager_required
def coordinator_rules(request):
    form = CoordinatorRuleForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            if form.is_valid():
                try:
                    services.coordinator_rule_add(
                        region=request.region,
                        sector=form.cleaned_data["sector"],
                        subtype=form.cleaned_data["subtype"],
                        actor=request.user,
                        request=request,
                    )
                except RegionAdminError as error:
                    refusal_show(form, error)
                else:
                    messages.success(request, _("De regel is onderaan de lijst toegevoegd."))
                    return redirect("regions:coordinator_rules")
        elif action in ("up", "down", "remove"):
            try:
                rule = selectors.coordinator_rule_of_region(region=request.region, pk=int(request.POST.get("rule", "")))
            except ValueError:
                raise Http404 from None
            if action == "remove":
                services.coordinator_rule_remove(rule=rule, actor=request.user, request=request)
                messages.success(request, _("De regel is verwijderd."))
            else:
                services.coordinator_rule_move(rule=rule, direction=action, actor=request.user, request=request)
                messages.success(request, _("De volgorde is aangepast."))
            return redirect("regions:coordinator_rules")
    return render(
        request,
        "regions/coordinator_rules.html",
        {"rules": selectors.coordinator_rules_of_region(region=request.region), "form": form, "title": _("Matchregie")},
    )


@process_manager_required
def institutional_addresses(request):
    fields = ("postcode", "house_number", "house_letter", "house_number_addition", "description", "bag_id")
    return form_action(
        request,
        InstitutionalAddressForm(form_data(request)),
        action=lambda data: services.institutional_address_add(
            region=request.region, **{field: data[field] for field in fields}, actor=request.user, request=request
        ),
        done=_("Het adres staat nu op de lijst van instellingsadressen."),
        then="regions:institutional_addresses",
        refusals=(RegionAdminError,),
        template="regions/institutional_addresses.html",
        context=lambda: {
            "addresses": selectors.institutional_addresses_of_region(region=request.region),
            "bag_lookup": bag_lookup_available(),
            "title": _("Instellingsadressen"),
        },
    )


@process_manager_required
@require_POST
def institutional_address_remove(request, pk):
    address = selectors.institutional_address_of_region(region=request.region, pk=pk)
    services.institutional_address_remove(address=address, actor=request.user, request=request)
    messages.success(request, _("Het adres is van de lijst gehaald."))
    return redirect("regions:institutional_addresses")


@process_manager_required
def region_settings(request):
    return form_action(
        request,
        RegionSettingsForm(form_data(request), instance=request.region),
        action=lambda data: services.region_settings_update(
            region=request.region, data=data, actor=request.user, request=request
        ),
        done=_("De instellingen zijn opgeslagen."),
        then="regions:region_settings",
        template="regions/region_settings.html",
        context={"title": _("Instellingen")},
    )


@process_manager_required
def region_look(request):
    region = request.region
    tokens = region.theme_tokens
    initial = {
        "name": region.name,
        "primary_colour": tokens.get(THEME_PRIMARY, "#01689b"),
        "contrast_colour": tokens.get(THEME_CONTRAST, "#ffffff"),
        "font": tokens.get(THEME_FONT, FONT_CHOICES[0][0]),
    }
    fields = ("name", "primary_colour", "contrast_colour", "font", "logo", "remove_logo")
    return form_action(
        request,
        RegionLookForm(form_data(request), _files(request), initial=initial),
        action=lambda data: services.region_look_update(
            region=region, **{field: data[field] for field in fields}, actor=request.user, request=request
        ),
        done=_("De huisstijl is opgeslagen."),
        then="regions:region_look",
        template="regions/region_look.html",
        context={"title": _("Huisstijl")},
    )


@process_manager_required
def move_notice_list(request):
    notices = list(selectors.move_notices_of_region(region=request.region)[:200])
    names = selectors.municipality_labels(
        codes=[n.from_municipality_code for n in notices] + [n.to_municipality_code for n in notices]
    )
    for notice in notices:
        notice.from_name = names[notice.from_municipality_code]
        notice.to_name = names[notice.to_municipality_code]
    return render(request, "regions/move_notice_list.html", {"notices": notices, "title": _("Verhuismeldingen")})


@process_manager_required
@require_POST
def move_notice_handle(request, pk):
    notice = selectors.move_notice_of_region(region=request.region, pk=pk)
    services.move_notice_handle(notice=notice, actor=request.user, request=request)
    messages.success(request, _("Verhuismelding %(ref)s is afgehandeld.") % {"ref": notice.reference})
    return redirect("regions:move_notice_list")

"""Region pages: the theme stylesheet, the process managers' and organisation coordinators' screens, move notices."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.roles import Role, role_required
from verwijsindex.form_pages import form_data, form_page, refusal_show

from . import selectors, services
from .bag import bag_lookup_available
from .forms import (
    FONT_CHOICES,
    CoordinatorRuleForm,
    InstitutionalAddressForm,
    InviteForm,
    MunicipalityForm,
    MunicipalityNameForm,
    OrganisationDeactivateForm,
    OrganisationForm,
    RegionLookForm,
    RegionSettingsForm,
    SignallingProfileForm,
)
from .services import THEME_CONTRAST, THEME_FONT, THEME_PRIMARY, RegionAdminError

# a token value may only hold characters that cannot break out of a CSS declaration
_SAFE_VALUE = re.compile(r"^[#\w\s.,%()'\"-]{1,100}$")
_SAFE_NAME = re.compile(r"^[a-z0-9-]{1,60}$")

process_manager_required = role_required(Role.PROCESS_MANAGER)
coordinator_required = role_required(Role.ORGANISATION_COORDINATOR)


@login_not_required
@cache_control(max_age=300)
def theme_css(request):
    if request.region is None:
        raise Http404
    lines = [
        f"  --{name}: {value};"
        for name, value in sorted(request.region.theme_tokens.items())
        if _SAFE_NAME.match(str(name)) and _SAFE_VALUE.match(str(value))
    ]
    css = ".vi-theme {\n" + "\n".join(lines) + "\n}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@login_not_required
@cache_control(max_age=300, public=True)
def public_information(request):
    """The region's page for parents and youths: what the verwijsindex is and how to use their rights."""
    if request.region is None:
        raise Http404
    facts = selectors.region_public_facts(region=request.region)
    return render(
        request,
        "regions/public_information.html",
        {"facts": facts, "title": _("Informatie voor ouders en jongeren")},
    )


def _files(request):
    return request.FILES if request.method == "POST" else None


# --- process managers --------------------------------------------------------------------------


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
    form = OrganisationForm(form_data(request))

    def create():
        organisation = services.organisation_create(
            region=request.region, data=form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, _("De organisatie %(name)s is toegevoegd.") % {"name": organisation.name})
        return redirect("regions:organisation_detail", organisation.pk)

    return form_page(
        request,
        form,
        act=create,
        refusals=(RegionAdminError,),
        template="regions/organisation_form.html",
        context={"title": _("Organisatie toevoegen")},
    )


@process_manager_required
def organisation_detail(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)
    form = OrganisationForm(form_data(request), instance=organisation)

    def update():
        services.organisation_update(
            organisation=organisation, data=form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, _("De gegevens van de organisatie zijn opgeslagen."))
        return redirect("regions:organisation_detail", organisation.pk)

    def context():
        organisation.refresh_from_db()  # a refused or invalid form has changed the instance in memory
        return {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "active_signals": selectors.active_signal_count(organisation=organisation),
            "title": organisation.name,
        }

    return form_page(
        request,
        form,
        act=update,
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
    form = OrganisationDeactivateForm(form_data(request))

    def deactivate():
        ended = services.organisation_deactivate(
            organisation=organisation,
            end_active_signals=form.cleaned_data["end_active_signals"],
            actor=request.user,
            request=request,
        )
        text = _("De organisatie %(name)s is gedeactiveerd.") % {"name": organisation.name}
        if ended:
            text += " " + _("%(count)s actieve signalen zijn beëindigd en gearchiveerd.") % {"count": ended}
        messages.success(request, text)
        return redirect("regions:organisation_list")

    return form_page(
        request,
        form,
        act=deactivate,
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


def _invite(request, *, organisation, role, template, back):
    form = InviteForm(form_data(request))

    def invite():
        invitation = services.organisation_member_invite(
            organisation=organisation,
            role=role,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            invited_by=request.user,
        )
        if invitation.mail_sent is False:
            form.add_error(
                None,
                _("De uitnodiging kon niet worden verstuurd. Probeer het later opnieuw of meld het aan de beheerder."),
            )
            return None
        # the same words whether or not the address has an account: the page does not tell
        messages.success(
            request,
            _("Er is een uitnodiging gestuurd naar %(email)s. De link is 7 dagen geldig.")
            % {"email": form.cleaned_data["email"]},
        )
        return back

    return form_page(
        request,
        form,
        act=invite,
        refusals=(RegionAdminError, ValidationError),
        template=template,
        context={"organisation": organisation, "role": role, "title": _("Uitnodigen")},
    )


@process_manager_required
def organisation_coordinator_invite(request, pk):
    organisation = selectors.organisation_of_region(region=request.region, pk=pk)
    return _invite(
        request,
        organisation=organisation,
        role=Role.ORGANISATION_COORDINATOR,
        template="regions/invite.html",
        back=redirect("regions:organisation_detail", organisation.pk),
    )


@process_manager_required
def municipality_list(request):
    form = MunicipalityForm(form_data(request))

    def create():
        municipality = services.municipality_create(
            region=request.region,
            cbs_code=form.cleaned_data["cbs_code"],
            name=form.cleaned_data["name"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Gemeente %(name)s is toegevoegd.") % {"name": municipality.name})
        return redirect("regions:municipality_list")

    return form_page(
        request,
        form,
        act=create,
        refusals=(RegionAdminError,),
        template="regions/municipality_list.html",
        context={"municipalities": selectors.municipalities_of_region(region=request.region), "title": _("Gemeenten")},
    )


@process_manager_required
def municipality_edit(request, pk):
    municipality = selectors.municipality_of_region(region=request.region, pk=pk)
    form = MunicipalityNameForm(
        form_data(request),
        initial={
            "name": municipality.name,
            "contact_email": municipality.contact_email,
            "contact_phone": municipality.contact_phone,
            "contact_url": municipality.contact_url,
        },
    )

    def update():
        services.municipality_update(
            municipality=municipality,
            name=form.cleaned_data["name"],
            contact_email=form.cleaned_data["contact_email"],
            contact_phone=form.cleaned_data["contact_phone"],
            contact_url=form.cleaned_data["contact_url"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("De gemeente is opgeslagen."))
        return redirect("regions:municipality_list")

    return form_page(
        request,
        form,
        act=update,
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
    form = InstitutionalAddressForm(form_data(request))

    def add():
        data = form.cleaned_data
        services.institutional_address_add(
            region=request.region,
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data["house_letter"],
            house_number_addition=data["house_number_addition"],
            description=data["description"],
            bag_id=data["bag_id"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Het adres staat nu op de lijst van instellingsadressen."))
        return redirect("regions:institutional_addresses")

    return form_page(
        request,
        form,
        act=add,
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
    form = RegionSettingsForm(form_data(request), instance=request.region)

    def update():
        services.region_settings_update(
            region=request.region, data=form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("regions:region_settings")

    return form_page(
        request, form, act=update, template="regions/region_settings.html", context={"title": _("Instellingen")}
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
    form = RegionLookForm(form_data(request), _files(request), initial=initial)

    def update():
        data = form.cleaned_data
        services.region_look_update(
            region=region,
            name=data["name"],
            primary_colour=data["primary_colour"],
            contrast_colour=data["contrast_colour"],
            font=data["font"],
            logo=data["logo"],
            remove_logo=data["remove_logo"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("De huisstijl is opgeslagen."))
        return redirect("regions:region_look")

    return form_page(request, form, act=update, template="regions/region_look.html", context={"title": _("Huisstijl")})


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


# --- organisation coordinators: their own organisation only --------------------------------------


@coordinator_required
def my_organisation(request):
    organisation = request.membership.organisation
    members = list(selectors.organisation_members(organisation=organisation))
    for member in members:
        # resetting two-factor is accounts' page; handing over signals and deactivating is signals' page
        member.two_factor_reset_url = reverse("accounts:two_factor_reset", args=[member.user_id])
        member.deactivate_url = reverse("signals:organisation_professional", args=[member.pk])
    return render(
        request,
        "regions/my_organisation.html",
        {
            "organisation": organisation,
            "members": members,
            "transfer_url": reverse("signals:organisation_professionals"),
            "title": organisation.name,
        },
    )


@coordinator_required
def professional_invite(request):
    organisation = request.membership.organisation
    return _invite(
        request,
        organisation=organisation,
        role=Role.PROFESSIONAL,
        template="regions/invite.html",
        back=redirect("regions:my_organisation"),
    )


@coordinator_required
def signalling_profile(request):
    organisation = request.membership.organisation
    form = SignallingProfileForm(form_data(request), initial={"signalling_profile": organisation.signalling_profile})

    def update():
        services.signalling_profile_update(
            organisation=organisation,
            text=form.cleaned_data["signalling_profile"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Het signaleringsprofiel is opgeslagen."))
        return redirect("regions:my_organisation")

    return form_page(
        request,
        form,
        act=update,
        template="regions/signalling_profile.html",
        context={"organisation": organisation, "title": _("Signaleringsprofiel")},
    )

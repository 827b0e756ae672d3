"""The organisation coordinators' screens: their own organisation, inviting professionals, the signalling
profile."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.form_pages import form_action, form_data
from core.roles import Role, role_required

from .. import selectors, services
from ..forms import SignallingProfileForm
from .invites import invite_page

coordinator_required = role_required(Role.ORGANISATION_COORDINATOR)


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
    return invite_page(
        request,
        organisation=organisation,
        role=Role.PROFESSIONAL,
        template="regions/invite.html",
        back=redirect("regions:my_organisation"),
    )


@coordinator_required
def signalling_profile(request):
    organisation = request.membership.organisation
    return form_action(
        request,
        SignallingProfileForm(form_data(request), initial={"signalling_profile": organisation.signalling_profile}),
        action=lambda data: services.signalling_profile_update(
            organisation=organisation, text=data["signalling_profile"], actor=request.user, request=request
        ),
        done=_("Het signaleringsprofiel is opgeslagen."),
        then="regions:my_organisation",
        template="regions/signalling_profile.html",
        context={"organisation": organisation, "title": _("Signaleringsprofiel")},
    )

"""Inviting someone to a role in an organisation: one page shape for process managers and coordinators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.form_pages import form_action, form_data

from .. import services
from ..forms import InviteForm
from ..services import RegionAdminError


def invite_page(request, *, organisation, role, template, back):
    form = InviteForm(form_data(request))

    def invite(data):
        invitation = services.organisation_member_invite(
            organisation=organisation,
            role=role,
            email=data["email"],
            full_name=data["full_name"],
            invited_by=request.user,
        )
        if invitation.mail_sent is False:
            raise RegionAdminError(
                _("De uitnodiging kon niet worden verstuurd. Probeer het later opnieuw of meld het aan de beheerder.")
            )

    return form_action(
        request,
        form,
        action=invite,
        # the same words whether or not the address has an account: the page does not tell
        done=lambda _result: (
            _("Er is een uitnodiging gestuurd naar %(email)s. De link is 7 dagen geldig.")
            % {"email": form.cleaned_data["email"]}
        ),
        then=lambda _result: back,
        refusals=(RegionAdminError, ValidationError),
        template=template,
        context={"organisation": organisation, "role": role, "title": _("Uitnodigen")},
    )

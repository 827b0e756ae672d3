"""Pages for a signal on an unborn child: the first step of placing, and a new expected date of birth.

Steps 2 to 5 are the ordinary placing flow (signals/views.py), which reads the expected date from the flow.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from core.form_pages import form_action, form_data
from persons.exceptions import PersonLookupError

from .exceptions import SignalRefused
from .forms import ExpectedDateForm, UnbornLookupForm
from .unborn import signal_expected_date_update, unborn_place_lookup
from .views import _flow_save, _own_signal, _professional_organisations


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def place_unborn(request):
    """Step 1 for an unborn child: the mother by BSN and date of birth (looked up, then forgotten), the expected date.

    Only in a region that allows it; elsewhere the page does not exist."""
    if not request.region.unborn_signals_allowed:
        raise Http404()
    organisations = [o for o in _professional_organisations(request) if o.region_id == request.region.pk]
    form = UnbornLookupForm(form_data(request), organisations=organisations)
    return form_action(
        request,
        form,
        action=lambda data: unborn_place_lookup(
            professional=request.user,
            organisation=form.chosen_organisation(),
            bsn=data["bsn"],
            mother_birth_date=data["birth_date"],
            expected_birth_date=data["expected_birth_date"],
            request=request,
        ),
        done=None,
        then=lambda unborn: _unborn_flow_start(request, form, unborn),
        # a date of birth that does not fit shows next to it (BirthDateMismatch.field), other refusals above the form
        refusals=(PersonLookupError, SignalRefused),
        template="signals/place_unborn.html",
        context={"title": _("Signaal afgeven op een ongeboren kind"), "step": 1},
    )


def _unborn_flow_start(request, form, unborn):
    """The placing flow goes on at step 2 with the unborn child's row and the expected date."""
    _flow_save(
        request,
        {
            "youth_id": unborn.pk,
            "organisation_id": form.chosen_organisation().pk,
            "expected_birth_date": form.cleaned_data["expected_birth_date"].isoformat(),
            "step": 2,
        },
    )
    return redirect("signals:place_confirm")


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def signal_expected_date(request, signal_id: int):
    """A new expected date of birth for an unborn child's signal (or end it: the link to ending is on the page)."""
    signal = _own_signal(request, signal_id)
    if not signal.youth.is_unborn:
        raise Http404()
    form = ExpectedDateForm(form_data(request), initial={"expected_birth_date": signal.expected_birth_date})

    return form_action(
        request,
        form,
        action=lambda data: signal_expected_date_update(
            signal=signal, actor=request.user, expected_birth_date=data["expected_birth_date"], request=request
        ),
        done=_("De verwachte geboortedatum is gewijzigd."),
        then=lambda _result: redirect("signals:detail", signal_id=signal.pk),
        refusals=(SignalRefused,),
        template="signals/expected_date.html",
        context={"signal": signal, "title": _("Verwachte geboortedatum wijzigen")},
    )

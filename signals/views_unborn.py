"""Pages for a signal on an unborn child: the first step of placing, and a new expected date of birth.

Steps 2 to 5 are the ordinary placing flow (signals/views.py), which reads the expected date from the flow.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from core.form_pages import form_data, form_page
from persons.exceptions import PersonLookupError

from .exceptions import BirthDateMismatch, SignalRefused
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
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation()
        expected = form.cleaned_data["expected_birth_date"]
        try:
            unborn = unborn_place_lookup(
                professional=request.user,
                organisation=organisation,
                bsn=form.cleaned_data["bsn"],
                mother_birth_date=form.cleaned_data["birth_date"],
                expected_birth_date=expected,
                request=request,
            )
            _flow_save(
                request,
                {
                    "youth_id": unborn.pk,
                    "organisation_id": organisation.pk,
                    "expected_birth_date": expected.isoformat(),
                    "step": 2,
                },
            )
            return redirect("signals:place_confirm")
        except BirthDateMismatch as error:
            form.add_error("birth_date", error.message)
        except (PersonLookupError, SignalRefused) as error:
            form.add_error(None, error.message)
    return render(
        request,
        "signals/place_unborn.html",
        {"form": form, "title": _("Signaal afgeven op een ongeboren kind"), "step": 1},
    )


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def signal_expected_date(request, signal_id: int):
    """A new expected date of birth for an unborn child's signal (or end it: the link to ending is on the page)."""
    signal = _own_signal(request, signal_id)
    if not signal.youth.is_unborn:
        raise Http404()
    form = ExpectedDateForm(form_data(request), initial={"expected_birth_date": signal.expected_birth_date})

    def update():
        signal_expected_date_update(
            signal=signal,
            actor=request.user,
            expected_birth_date=form.cleaned_data["expected_birth_date"],
            request=request,
        )
        messages.success(request, _("De verwachte geboortedatum is gewijzigd."))
        return redirect("signals:detail", signal_id=signal.pk)

    return form_page(
        request,
        form,
        act=update,
        refusals=(SignalRefused,),
        template="signals/expected_date.html",
        context={"signal": signal, "title": _("Verwachte geboortedatum wijzigen")},
    )

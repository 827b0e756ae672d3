"""Browser pages: the coordinator's API clients, the readable API documentation and the API's JSON 404."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Role
from accounts.permissions import role_required
from core.form_pages import form_action, form_data

from .errors import MESSAGES, error_response
from .forms import ApiClientForm, ConfirmForm
from .schema import schema_summary
from .selectors import api_client_of_organisations, api_clients_of_organisations
from .services import api_client_create, api_client_revoke


def _coordinated_organisations(request) -> list:
    return [m.organisation for m in request.memberships if m.role == Role.ORGANISATION_COORDINATOR]


@role_required(Role.ORGANISATION_COORDINATOR)
def client_list(request):
    clients = api_clients_of_organisations(organisations=_coordinated_organisations(request))
    return render(request, "api/client_list.html", {"title": _("API-koppelingen"), "clients": clients})


@never_cache
@role_required(Role.ORGANISATION_COORDINATOR)
def client_create(request):
    form = ApiClientForm(form_data(request), organisations=_coordinated_organisations(request))
    if request.method == "POST" and form.is_valid():
        client, token = api_client_create(
            organisation=form.chosen_organisation(),
            name=form.cleaned_data["name"],
            certificate_fingerprint=form.cleaned_data["certificate_fingerprint"],
            created_by=request.user,
            request=request,
        )
        # the token is shown in this one response and never again (only its hash is stored)
        return render(
            request,
            "api/client_created.html",
            {"title": _("API-koppeling aangemaakt"), "client": client, "token": token},
        )
    return render(request, "api/client_form.html", {"title": _("Nieuwe API-koppeling"), "form": form})


@role_required(Role.ORGANISATION_COORDINATOR)
def client_revoke(request, pk):
    client = api_client_of_organisations(organisations=_coordinated_organisations(request), pk=pk)
    if client is None:
        raise Http404

    return form_action(
        request,
        ConfirmForm(form_data(request)),
        action=lambda data: api_client_revoke(client=client, actor=request.user, request=request),
        done=lambda _result: _("De API-koppeling %(name)s is ingetrokken.") % {"name": client.name},
        then="api_clients:list",
        template="api/client_revoke.html",
        context={"title": _("API-koppeling intrekken"), "client": client},
    )


@login_not_required
def docs(request):
    """The API documentation as a plain page (no JavaScript, so it works under the strict CSP)."""
    summary = schema_summary()
    errors = [{"code": code, "message": message} for code, message in MESSAGES.items()]
    return render(request, "api/docs.html", {"title": _("API-documentatie"), "schema": summary, "errors": errors})


@csrf_exempt
@login_not_required
def api_not_found(request):
    return error_response(code="not_found", status_code=404)

"""Project-level pages: the start page after login and the health check."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from api.errors import error_response
from verwijsindex.outages import outage_of, outage_response


def home(request):
    """The start page: per role a task list of what waits for this person (verwijsindex/start.py)."""
    from .start import start_tasks

    # LoginRequiredMiddleware has read them for this request already
    memberships = request.memberships
    sections = start_tasks(user=request.user, memberships=memberships, region=request.region)
    return render(request, "home.html", {"title": _("Start"), "memberships": memberships, "sections": sections})


def page_not_found(request, exception=None):
    """The 404 handler: the API's JSON error shape under /api/, the normal page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response(code="not_found", status_code=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception=None):
    """The 403 handler: the API's JSON error shape under /api/, the normal page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response(code="permission_denied", status_code=403)
    return defaults.permission_denied(request, exception)


def server_error(request, *args, **kwargs):
    """The 500 handler: a lost database or Redis gets the retry answer (503; OutageMiddleware gives it first),
    anything else the plain 500 page. Neither renders with a request context: no query."""
    if outage_of(sys.exc_info()[1]) is not None:
        return outage_response(request)
    return HttpResponseServerError(render_to_string("500.html"))


@login_not_required
def health(request):
    """For load balancers and container health checks: answers on any host, without login."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

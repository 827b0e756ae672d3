"""Project-level pages: the start page after login and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import memberships_in_region


def home(request):
    memberships = memberships_in_region(user=request.user, region=request.region)
    return render(request, "home.html", {"title": _("Start"), "memberships": memberships})


@login_not_required
def health(request):
    """For load balancers and container health checks: answers on any host, without login."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

"""Every page needs a login with two factors and a role in the host's region; idle sessions end."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import memberships_in_region

_LAST_SEEN = "last_seen"
_STARTED = "session_started"
# last_seen is written at most this often: a write of the session row on every request costs three statements.
# The stored time may lag the last request by up to this much, so an idle session ends at most this much
# early, never late.
_LAST_SEEN_RESOLUTION = 60


class IdleTimeoutMiddleware:
    """Logs a user out after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            started = request.session.setdefault(_STARTED, now)
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("U bent uitgelogd omdat u een tijd niets heeft gedaan. Log opnieuw in."))
                return redirect(settings.LOGIN_URL)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(request, _("Uw sessie was te lang open en is beëindigd. Log opnieuw in."))
                return redirect(settings.LOGIN_URL)
            if now - last_seen >= _LAST_SEEN_RESOLUTION or _LAST_SEEN not in request.session:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class ProviderSessionMiddleware:
    """A session begun at the organisation's provider lives no longer than the provider's: at its end it is
    renewed there (refresh token), and ends here when the provider refuses (signed out or disabled there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .oidc import SESSION_EXPIRES_AT, SESSION_LOGOUT_ORIGIN, session_renew

        expires_at = request.session.get(SESSION_EXPIRES_AT) if request.user.is_authenticated else None
        if expires_at is not None and time.time() >= expires_at and not session_renew(request):
            logout(request)
            messages.info(request, _("Uw inlogsessie bij uw organisatie is afgelopen. Log opnieuw in."))
            return redirect(settings.LOGIN_URL)
        logout_origin = request.session.get(SESSION_LOGOUT_ORIGIN) if expires_at is not None else None
        response = self.get_response(request)
        if logout_origin:
            # the logout button posts here and is sent on to the provider's end_session_endpoint: the browser
            # applies form-action to that redirect too
            response._csp_update = {"form-action": [logout_origin]}
        return response


class LoginRequiredMiddleware:
    """Views are closed unless marked with django.contrib.auth.decorators.login_not_required.

    An open view still sees request.region. A closed view needs: a logged-in user, verified with a
    second factor (django-otp), holding an active role in the region of the host.
    Views may also be marked `otp_not_required` (the two-factor steps themselves).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
        if getattr(view_func, "otp_required", True) and not user.is_verified():
            return redirect("accounts:two_factor")
        request.memberships = list(memberships_in_region(user=user, region=request.region))
        if not request.memberships:
            return render(
                request,
                "errors/wrong_region.html",
                {"title": _("Geen toegang in deze regio")},
                status=403,
            )
        return None


def otp_not_required(view_func):
    """Marks a view of the two-factor steps: it needs a login, not yet a second factor."""
    view_func.otp_required = False
    return view_func

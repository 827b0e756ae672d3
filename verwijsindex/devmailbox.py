"""Development mailbox: the mail that scripts/mailsink.py kept, readable in the browser (dev profile only).

Mounted by verwijsindex/urls.py only when settings.DEV_MAILBOX_DIR is set (never in test or production).
Open to requests from this machine itself, and to demo accounts and system administrators logged in with
both factors:
whoever runs the demo locally must be able to read an invitation or password-reset mail before
they can log in at all, while the dev server listening on 0.0.0.0 must not show mail to the network.
"""

import ipaddress
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.models import Role

# the sink names files <nanoseconds>-<8 hex>.eml; anything else (a path, "..") is not a message id
_MESSAGE_ID = re.compile(r"^\d{10,25}-[0-9a-f]{8}$")
# the e-mail's own HTML runs in a sandbox without scripts, forms or remote content
HTML_PART_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _may_read(request) -> bool:
    try:
        if ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback:
            return True
    except ValueError:
        pass
    user = request.user
    # a session that passed only the password step reads nothing: the mailbox holds enrolment and reset links
    return (
        user.is_authenticated
        and user.is_verified()
        and (user.is_demo or user.memberships.filter(role=Role.SYSTEM_ADMINISTRATOR, active=True).exists())
    )


def _mailbox() -> Path:
    if not settings.DEV_MAILBOX_DIR:
        raise Http404
    return Path(settings.DEV_MAILBOX_DIR)


def _parse(file: Path):
    with file.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _summary(file: Path) -> dict:
    message = _parse(file)
    return {
        "id": file.stem,
        "subject": str(message.get("Subject", "")),
        "sender": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "date": str(message.get("Date", "")),
    }


def _message_file(message_id: str) -> Path:
    if not _MESSAGE_ID.match(message_id):
        raise Http404
    file = _mailbox() / f"{message_id}.eml"
    if not file.is_file():
        raise Http404
    return file


def _forbidden(request):
    return render(request, "errors/forbidden.html", {"title": _("Geen toegang")}, status=403)


@login_not_required
def mailbox_list(request):
    if not _may_read(request):
        return _forbidden(request)
    folder = _mailbox()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.is_dir() else []
    messages = [_summary(file) for file in files if _MESSAGE_ID.match(file.stem)]
    return render(
        request, "dev/mailbox_list.html", {"mails": messages, "folder": folder, "title": _("Ontwikkel-mailbox")}
    )


@login_not_required
def mailbox_detail(request, message_id: str):
    if not _may_read(request):
        return _forbidden(request)
    file = _message_file(message_id)
    message = _parse(file)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    attachments = [part.get_filename() or _("(zonder naam)") for part in message.iter_attachments()]
    return render(
        request,
        "dev/mailbox_detail.html",
        {
            "mail": _summary(file),
            "text": text_part.get_content() if text_part is not None else "",
            "has_html": html_part is not None,
            "attachments": attachments,
            "title": str(message.get("Subject", "")) or _("E-mail"),
        },
    )


@login_not_required
@csp_exempt()
@xframe_options_sameorigin
def mailbox_html(request, message_id: str):
    """The HTML part on its own, under a CSP sandbox; shown in an <iframe sandbox> or downloaded."""
    if not _may_read(request):
        return _forbidden(request)
    html_part = _parse(_message_file(message_id)).get_body(preferencelist=("html",))
    if html_part is None:
        raise Http404
    response = HttpResponse(html_part.get_content(), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_CSP
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{message_id}.html"'
    return response


urlpatterns = [
    path("", mailbox_list, name="list"),
    path("<str:message_id>/", mailbox_detail, name="detail"),
    path("<str:message_id>/html/", mailbox_html, name="html"),
]

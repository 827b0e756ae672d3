"""A regional deployment's federation views: the endpoint the hub calls (only the hub's certificate) and the
national match page of an own signal."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from audit import events as audit_events

from . import regional, rights, selectors, trust
from .protocol import federation_endpoint


def _the_hub(request) -> trust.Peer:
    certificate = trust.client_certificate(request)
    hub = trust.hub_certificate()
    if trust.fingerprint(certificate) != trust.fingerprint(hub):
        raise trust.TrustError("only the hub may call")
    return trust.Peer(deployment="hub", certificate=hub, url=settings.FEDERATION_HUB_URL)


@federation_endpoint(_the_hub)
def exchange(peer, data):
    return regional.exchange_receive(data=data)


# the answer names organisations and professionals of our signals: not kept for idempotency (answered again)
@federation_endpoint(_the_hub, remember_answer=False)
def rights_inquiry(peer, data):
    return rights.rights_inquiry_answer(data=data)


@role_required(Role.PROFESSIONAL)
def national_match(request, signal_id: int):
    """The national match of one own signal: the professionals of other deployments and the one coordinator."""
    view = selectors.national_match_of_own_signal(user=request.user, region=request.region, signal_id=signal_id)
    if view is None:
        raise Http404
    audit_events.matches_viewed(
        request=request,
        youth_pseudonym=view.signal.youth.pseudonym,
        signal_id=view.signal.pk,
        match=view.reference,
    )
    return render(
        request,
        "federation/national_match.html",
        {"title": _("Landelijke match bij signaal %(reference)s") % {"reference": view.signal.reference}, "view": view},
    )

"""The hub's endpoints (OpenAPI: docs/federation-hub.openapi.yaml) and its operators' status page."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import hub, hub_rights, relay, trust
from .protocol import federation_endpoint


def _trusted_deployment(request) -> trust.Peer:
    return trust.peer_on_trust_list(request)


@federation_endpoint(_trusted_deployment)
def oprf_evaluate(peer, data):
    return hub.oprf_evaluate(deployment=peer.deployment, key_id=data.get("key_id"), blinded=data.get("blinded"))


@federation_endpoint(_trusted_deployment)
def signal_register(peer, data):
    return hub.signal_register(deployment=peer.deployment, data=data)


@federation_endpoint(_trusted_deployment)
def signal_withdraw(peer, data):
    return hub.signal_withdraw(deployment=peer.deployment, data=data)


# a read with acknowledgements: each call is handled anew (its answer depends on what was acknowledged)
@federation_endpoint(_trusted_deployment, remember_answer=False)
def notices(peer, data):
    return hub.notices_fetch(deployment=peer.deployment, data=data)


@federation_endpoint(_trusted_deployment)
def key_lookup(peer, data):
    return hub.key_lookup(deployment=peer.deployment, data=data)


# the answer holds the other deployment's contact details: relayed, never kept (a repeat is relayed again)
@federation_endpoint(_trusted_deployment, remember_answer=False)
def exchange(peer, data):
    return hub.exchange_relay(deployment=peer.deployment, data=data, peers=trust.trust_list())


# a national match's follow-up from its coordinator to the other deployments in it: relayed, never kept
@federation_endpoint(_trusted_deployment, remember_answer=False)
def follow_up(peer, data):
    return relay.follow_up_relay(deployment=peer.deployment, data=data, peers=trust.trust_list())


@federation_endpoint(_trusted_deployment)
def handover_propose(peer, data):
    return relay.handover_propose(deployment=peer.deployment, data=data)


@federation_endpoint(_trusted_deployment)
def handover_answer(peer, data):
    return relay.handover_answer(deployment=peer.deployment, data=data)


@federation_endpoint(_trusted_deployment)
def coordinator_decide(peer, data):
    return hub.coordinator_decide(deployment=peer.deployment, data=data)


@federation_endpoint(_trusted_deployment)
def rights_request_register(peer, data):
    return hub_rights.rights_request_register(deployment=peer.deployment, data=data)


# the answer holds other deployments' organisations and dates: relayed, never kept (a repeat is relayed again)
@federation_endpoint(_trusted_deployment, remember_answer=False)
def rights_inquire(peer, data):
    return hub_rights.rights_inquiry_relay(deployment=peer.deployment, data=data, peers=trust.trust_list())


@login_not_required
def status(request):
    """For the hub's operators (a certificate on the operators' list): counts only, nothing about anyone."""
    try:
        presented = trust.fingerprint(trust.client_certificate(request))
    except trust.TrustError:
        return HttpResponseForbidden(_("Alleen voor beheerders van de landelijke koppeling."))
    if presented not in trust.operator_fingerprints():
        return HttpResponseForbidden(_("Alleen voor beheerders van de landelijke koppeling."))
    return render(
        request,
        "federation/hub_status.html",
        {"status": hub.hub_status(), "deployments": sorted(trust.trust_list()), "title": _("Status van de hub")},
    )

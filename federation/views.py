"""A regional deployment's federation endpoint: calls relayed by the hub (only the hub's certificate may call)."""

from django.conf import settings

from . import regional, trust
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

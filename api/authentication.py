"""Authentication of API clients: `Authorization: Bearer <client_id>.<secret>`, optionally a pinned certificate."""

import hashlib
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare
from rest_framework import authentication, exceptions

from .errors import ApiError
from .selectors import api_client_by_client_id

_FINGERPRINT_NOISE = re.compile(r"[^0-9a-f]")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def fingerprint_normalise(value: str) -> str:
    """SHA-256 fingerprints as proxies write them ("AB:CD:..", "abcd..", "sha256//..") to 64 lower-case hex digits."""
    value = value.strip().lower().removeprefix("sha256//").removeprefix("sha256:").removeprefix("sha256=")
    return _FINGERPRINT_NOISE.sub("", value)


class ApiClientPrincipal:
    """What `request.user` is during an API call: the client, never a person (the professional is named per call)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    email = ""

    def __init__(self, client):
        self.client = client
        self.full_name = f"API-koppeling {client.name} ({client.client_id})"

    def __str__(self):
        return self.full_name

    def is_verified(self):
        return False


class ApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None
        client_id, _, secret = token.partition(".")
        # looked up on every call (no cache), so a revoked client stops working at once
        client = api_client_by_client_id(client_id) if client_id and secret else None
        expected = client.secret_sha256 if client is not None else "0" * 64
        if not constant_time_compare(secret_hash(secret), expected) or client is None or not client.usable:
            raise exceptions.AuthenticationFailed()
        if client.certificate_fingerprint:
            presented = fingerprint_normalise(request.META.get(_header_meta_key(), ""))
            if not constant_time_compare(presented, client.certificate_fingerprint):
                raise ApiError(code="client_certificate_mismatch", status_code=403)
        region = getattr(request._request, "region", None)
        if region is not None and region.pk != client.organisation.region_id:
            raise ApiError(code="wrong_host", status_code=403)
        return ApiClientPrincipal(client), client

    def authenticate_header(self, request):
        return 'Bearer realm="verwijsindex"'


def _header_meta_key() -> str:
    return "HTTP_" + settings.API_CLIENT_CERT_HEADER.upper().replace("-", "_")

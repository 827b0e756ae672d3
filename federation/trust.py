"""Who is who in the federation: certificates, the hub's trust list, and the signature on every call and answer.

Transport: HTTPS with mutual TLS; the server hands the verified client certificate to Django (federation_serve puts
it in the WSGI environ as SSL_CLIENT_CERT; behind a TLS-terminating proxy, the header FEDERATION_CLIENT_CERT_HEADER).
A caller is known by the SHA-256 fingerprint of that certificate, looked up in the trust list at every call, so a
deployment removed from the list is refused at once. On top of TLS each call and each answer is signed with the
sender's certificate key (ECDSA P-256, SHA-256), so the logs at both ends hold evidence of who asked what.
"""

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

SIGNATURE_HEADER = "Federation-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_CLOCK_SKEW = 300  # seconds


class TrustError(Exception):
    """The peer is not who it must be: no certificate, not on the trust list, or a bad signature."""


@dataclass(frozen=True)
class Peer:
    deployment: str
    certificate: x509.Certificate
    url: str = ""


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


@lru_cache(maxsize=64)
def _load_pem_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def certificate_from_pem(pem: str) -> x509.Certificate:
    return _load_pem_certificate(pem.strip() + "\n")


@lru_cache(maxsize=8)
def _trust_list(path: str, mtime_ns: int) -> dict[str, Peer]:
    data = json.loads(Path(path).read_text())
    peers = {}
    for deployment, entry in data.get("deployments", {}).items():
        peers[deployment] = Peer(
            deployment=deployment, certificate=certificate_from_pem(entry["certificate"]), url=entry.get("url", "")
        )
    return peers


def trust_list() -> dict[str, Peer]:
    """The hub's trust list, re-read whenever its file changes (removal takes effect at the next call)."""
    path = settings.FEDERATION_TRUST_FILE
    if not path:
        return {}
    try:
        mtime_ns = Path(path).stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    return _trust_list(str(path), mtime_ns)


def client_certificate(request) -> x509.Certificate:
    """The certificate the TLS layer verified for this request."""
    pem = request.META.get("SSL_CLIENT_CERT", "")
    header = settings.FEDERATION_CLIENT_CERT_HEADER
    if not pem and header:
        pem = unquote(request.headers.get(header, ""))
    if not pem:
        raise TrustError("no client certificate")
    try:
        return certificate_from_pem(pem)
    except ValueError as error:
        raise TrustError("unreadable client certificate") from error


def peer_on_trust_list(request) -> Peer:
    """Hub: the deployment whose certificate this is; refused when it is not (or no longer) on the trust list."""
    presented = fingerprint(client_certificate(request))
    for peer in trust_list().values():
        if fingerprint(peer.certificate) == presented:
            return peer
    raise TrustError("certificate not on the trust list")


@lru_cache(maxsize=4)
def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def own_private_key():
    return serialization.load_pem_private_key(_read(str(settings.FEDERATION_TLS_KEY)), password=None)


def hub_certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate(_read(str(settings.FEDERATION_HUB_CERT)))


def _signed_text(parts) -> bytes:
    return "\n".join(str(part) for part in parts).encode()


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def request_signing_parts(method: str, path: str, timestamp: int, idempotency_key: str, body: bytes) -> list:
    return ["request", method.upper(), path, timestamp, idempotency_key, body_digest(body)]


def response_signing_parts(status: int, timestamp: int, request_signature: str, body: bytes) -> list:
    return ["response", status, timestamp, request_signature, body_digest(body)]


def sign(parts, *, sender: str) -> str:
    timestamp = parts[2] if parts[0] == "response" else parts[3]
    signature = own_private_key().sign(_signed_text(parts), ec.ECDSA(hashes.SHA256()))
    return f"id={sender}, ts={timestamp}, sig={base64.urlsafe_b64encode(signature).decode()}"


def parse_signature(header: str) -> dict[str, str]:
    fields = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        fields[name] = value
    if not {"id", "ts", "sig"} <= fields.keys() or not fields["ts"].isdigit():
        raise TrustError("malformed signature header")
    return fields


def verify(header: str, parts_for_timestamp, *, certificate: x509.Certificate, now: float | None = None) -> int:
    """Check a signature header against the signer's certificate; returns its timestamp. `parts_for_timestamp`
    builds the signed parts from the timestamp the header names."""
    fields = parse_signature(header)
    timestamp = int(fields["ts"])
    if abs((now or time.time()) - timestamp) > MAX_CLOCK_SKEW:
        raise TrustError("signature too old or from the future")
    try:
        signature = base64.urlsafe_b64decode(fields["sig"])
        signed = _signed_text(parts_for_timestamp(timestamp))
        certificate.public_key().verify(signature, signed, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError) as error:
        raise TrustError("bad signature") from error
    return timestamp


def operator_fingerprints() -> set[str]:
    """The hub's operators (status page): `operators` in the trust list file, {name: certificate PEM}."""
    path = settings.FEDERATION_TRUST_FILE
    if not path or not Path(path).exists():
        return set()
    data = json.loads(Path(path).read_text())
    return {fingerprint(certificate_from_pem(pem)) for pem in data.get("operators", {}).values()}

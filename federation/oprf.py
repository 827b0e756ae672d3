"""RFC 9497 OPRF, mode 0x00 (OPRF), suite ristretto255-SHA512: the protocol steps over libsodium's group (rbcl).

The group arithmetic (ristretto255 encoding, hash-to-group, scalar operations) is libsodium's, through the `rbcl`
wheel that bundles it; what is here is the protocol of RFC 9497 §3.3.1 and §3.2.1 (DeriveKeyPair) with the
suite's HashToGroup/HashToScalar (RFC 9380 expand_message_xmd with SHA-512). tests/federation/test_oprf_vectors.py
checks it against the RFC's test vectors. Why this library: docs/adr/0020-federation-through-a-hub.md.
"""

import hashlib
import hmac

import rbcl

MODE_OPRF = 0x00
SUITE = b"ristretto255-SHA512"
CONTEXT_STRING = b"OPRFV1-" + bytes([MODE_OPRF]) + b"-" + SUITE
ELEMENT_BYTES = 32
SCALAR_BYTES = 32
OUTPUT_BYTES = 64
_IDENTITY = bytes(ELEMENT_BYTES)


class OprfError(ValueError):
    """An input or element the protocol must refuse (identity element, invalid encoding, zero scalar)."""


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 §5.3.1 with SHA-512 (b_in_bytes 64, s_in_bytes 128)."""
    b_in_bytes, s_in_bytes = 64, 128
    ell = -(-length // b_in_bytes)
    if ell > 255 or length > 65535 or len(dst) > 255:
        raise OprfError("expand_message_xmd: length or DST too long")
    dst_prime = dst + _i2osp(len(dst), 1)
    msg_prime = bytes(s_in_bytes) + msg + _i2osp(length, 2) + b"\x00" + dst_prime
    b0 = hashlib.sha512(msg_prime).digest()
    blocks = [hashlib.sha512(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, ell + 1):
        previous = bytes(x ^ y for x, y in zip(b0, blocks[-1], strict=True))
        blocks.append(hashlib.sha512(previous + _i2osp(i, 1) + dst_prime).digest())
    return b"".join(blocks)[:length]


def hash_to_group(msg: bytes) -> bytes:
    uniform = expand_message_xmd(msg, b"HashToGroup-" + CONTEXT_STRING, 64)
    return rbcl.crypto_core_ristretto255_from_hash(uniform)


def hash_to_scalar(msg: bytes, dst: bytes | None = None) -> bytes:
    uniform = expand_message_xmd(msg, dst or b"HashToScalar-" + CONTEXT_STRING, 64)
    return rbcl.crypto_core_ristretto255_scalar_reduce(uniform)


def _element(data: bytes) -> bytes:
    """DeserializeElement: a valid, non-identity ristretto255 encoding."""
    if len(data) != ELEMENT_BYTES or data == _IDENTITY or not rbcl.crypto_core_ristretto255_is_valid_point(data):
        raise OprfError("invalid group element")
    return data


def _scalar_mult(scalar: bytes, element: bytes) -> bytes:
    try:
        return rbcl.crypto_scalarmult_ristretto255(scalar, element)
    except Exception as error:  # libsodium refuses a result that is the identity
        raise OprfError("scalar multiplication gave the identity") from error


def derive_key_pair(seed: bytes, info: bytes) -> bytes:
    """RFC 9497 §3.2.1 DeriveKeyPair; returns the private key skS (the public key is not used in OPRF mode)."""
    if len(seed) != 32:
        raise OprfError("seed must be 32 bytes")
    derive_input = seed + _i2osp(len(info), 2) + info
    for counter in range(256):
        secret = hash_to_scalar(derive_input + _i2osp(counter, 1), b"DeriveKeyPair" + CONTEXT_STRING)
        if secret != bytes(SCALAR_BYTES):
            return secret
    raise OprfError("DeriveKeyPairError")


def random_scalar() -> bytes:
    return rbcl.crypto_core_ristretto255_scalar_random()


def blind(private_input: bytes, *, blind_scalar: bytes | None = None) -> tuple[bytes, bytes]:
    """Client: (blind, blindedElement). `blind_scalar` is for the test vectors only."""
    scalar = blind_scalar if blind_scalar is not None else random_scalar()
    input_element = hash_to_group(private_input)
    if input_element == _IDENTITY:
        raise OprfError("InvalidInputError")
    return scalar, _scalar_mult(scalar, input_element)


def blind_evaluate(secret_key: bytes, blinded_element: bytes) -> bytes:
    """Server: evaluatedElement = skS * blindedElement (the server learns nothing about the input)."""
    return _scalar_mult(secret_key, _element(blinded_element))


def _finalize_hash(private_input: bytes, unblinded: bytes) -> bytes:
    hash_input = _i2osp(len(private_input), 2) + private_input + _i2osp(len(unblinded), 2) + unblinded + b"Finalize"
    return hashlib.sha512(hash_input).digest()


def finalize(private_input: bytes, blind_scalar: bytes, evaluated_element: bytes) -> bytes:
    """Client: the PRF output, Hash(input || blind^-1 * evaluatedElement || "Finalize")."""
    inverse = rbcl.crypto_core_ristretto255_scalar_invert(blind_scalar)
    return _finalize_hash(private_input, _scalar_mult(inverse, _element(evaluated_element)))


def evaluate(secret_key: bytes, private_input: bytes) -> bytes:
    """Server-side evaluation without blinding (RFC 9497 Evaluate): the same output as blind/finalize."""
    input_element = hash_to_group(private_input)
    if input_element == _IDENTITY:
        raise OprfError("InvalidInputError")
    return _finalize_hash(private_input, _scalar_mult(secret_key, input_element))


def outputs_equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)

"""RFC 9497 Appendix A.1.1 (OPRF(ristretto255, SHA-512), OPRF mode): the test vectors, and the protocol's properties."""

import pytest

from federation import oprf

SEED = bytes.fromhex("a3" * 32)
KEY_INFO = bytes.fromhex("74657374206b6579")  # "test key"
SK_SM = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e"
BLIND = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706"

VECTORS = [
    pytest.param(
        "00",
        "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
        "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
        "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
        "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
        id="vector-1",
    ),
    pytest.param(
        "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
        "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
        "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
        "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
        "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
        id="vector-2",
    ),
]


def test_derive_key_pair_gives_the_rfc_private_key():
    assert oprf.derive_key_pair(SEED, KEY_INFO).hex() == SK_SM


@pytest.mark.parametrize(("private_input", "blinded", "evaluated", "output"), VECTORS)
def test_blind_evaluate_finalize_give_the_rfc_values(private_input, blinded, evaluated, output):
    secret_key = bytes.fromhex(SK_SM)
    blind, blinded_element = oprf.blind(bytes.fromhex(private_input), blind_scalar=bytes.fromhex(BLIND))
    assert blinded_element.hex() == blinded
    evaluated_element = oprf.blind_evaluate(secret_key, blinded_element)
    assert evaluated_element.hex() == evaluated
    assert oprf.finalize(bytes.fromhex(private_input), blind, evaluated_element).hex() == output
    assert oprf.evaluate(secret_key, bytes.fromhex(private_input)).hex() == output


def test_random_blinds_hide_the_input_and_give_the_same_output():
    secret_key = oprf.derive_key_pair(SEED, b"hub key 1")
    bsn = b"999970021"
    blind_1, blinded_1 = oprf.blind(bsn)
    blind_2, blinded_2 = oprf.blind(bsn)
    assert blinded_1 != blinded_2  # the server sees a fresh random element each time
    out_1 = oprf.finalize(bsn, blind_1, oprf.blind_evaluate(secret_key, blinded_1))
    out_2 = oprf.finalize(bsn, blind_2, oprf.blind_evaluate(secret_key, blinded_2))
    assert out_1 == out_2 == oprf.evaluate(secret_key, bsn)


def test_another_key_gives_another_output():
    bsn = b"999970021"
    assert oprf.evaluate(oprf.derive_key_pair(SEED, b"1"), bsn) != oprf.evaluate(oprf.derive_key_pair(SEED, b"2"), bsn)


def test_expand_message_xmd_matches_rfc_9380_sha512_vector():
    # RFC 9380 Appendix K.3, expand_message_xmd(SHA-512), DST "QUUX-V01-CS02-with-expander-SHA512-256", msg ""
    dst = b"QUUX-V01-CS02-with-expander-SHA512-256"
    assert oprf.expand_message_xmd(b"", dst, 0x20).hex() == (
        "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"
    )


@pytest.mark.parametrize("element", [bytes(32), b"\xff" * 32, b"\x01" * 31])
def test_blind_evaluate_refuses_the_identity_and_invalid_encodings(element):
    with pytest.raises(oprf.OprfError):
        oprf.blind_evaluate(bytes.fromhex(SK_SM), element)

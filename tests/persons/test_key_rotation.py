"""Key rotation: BSNs re-encrypted to the newest key; pseudonyms recomputed under a new pseudonym key."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from persons.bsn import bag_pseudonym, bsn_decrypt, bsn_pseudonym
from persons.models import Youth
from persons.pseudonyms import pseudonym_columns, register_pseudonym_column
from persons.services import pseudonyms_rotate, youth_by_bsn
from regions.models import InstitutionalAddress
from tests.persons.factories import YouthFactory

FAMILY = ("999970033", "999970045")  # two children of 999999126 and 999999163, at BAG 0518010000583543
SHARED_DWELLING = ("000009891", "999991176")  # both at BAG 0599010062002201


def test_bsn_reencrypt_moves_every_row_to_the_newest_key_and_a_rerun_changes_nothing(db, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.BSN_ENCRYPTION_KEYS = [old_key]
    youths = YouthFactory.create_batch(5)
    bsns = {youth.pk: bsn_decrypt(youth.bsn_encrypted) for youth in youths}

    settings.BSN_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("bsn_reencrypt", "--batch-size", "2")

    newest_only = Fernet(new_key.encode())
    for youth in Youth.objects.all():
        assert newest_only.decrypt(youth.bsn_encrypted.encode()).decode() == bsns[youth.pk]
    tokens = dict(Youth.objects.values_list("pk", "bsn_encrypted"))
    call_command("bsn_reencrypt")
    assert dict(Youth.objects.values_list("pk", "bsn_encrypted")) == tokens

    # the old key can now go
    settings.BSN_ENCRYPTION_KEYS = [new_key]
    assert {youth.pk: bsn_decrypt(youth.bsn_encrypted) for youth in Youth.objects.all()} == bsns


def test_pseudonym_rotate_recomputes_youth_parent_and_address_pseudonyms_everywhere(brp, settings, region):
    for bsn in (*FAMILY, *SHARED_DWELLING):
        youth_by_bsn(bsn=bsn)
    institution = InstitutionalAddress.objects.create(
        region=region,
        bag_pseudonym=bag_pseudonym("0599010062002201"),
        postcode="3000AA",
        house_number=1,
        description="Opvang",
    )
    old_key = settings.BSN_PSEUDONYM_KEY
    settings.BSN_PSEUDONYM_KEY_PREVIOUS = old_key
    settings.BSN_PSEUDONYM_KEY = "new-pseudonym-key-0123456789abcdefghij"

    call_command("pseudonym_rotate", "--batch-size", "3")

    for bsn in FAMILY:
        youth = Youth.objects.get(pseudonym=bsn_pseudonym(bsn))
        assert sorted(youth.parent_pseudonyms) == sorted([bsn_pseudonym("999999126"), bsn_pseudonym("999999163")])
        assert youth.bag_pseudonym == bag_pseudonym("0518010000583543")
    shared = Youth.objects.filter(pseudonym__in=[bsn_pseudonym(bsn) for bsn in SHARED_DWELLING])
    assert {youth.bag_pseudonym for youth in shared} == {bag_pseudonym("0599010062002201")}
    assert shared.count() == 2
    institution.refresh_from_db()
    assert institution.bag_pseudonym == bag_pseudonym("0599010062002201")
    assert not Youth.objects.filter(pseudonym=bsn_pseudonym(FAMILY[0], key=old_key)).exists()

    # a second run (e.g. after an interruption) finds everything done
    again = pseudonyms_rotate(old_key=old_key, new_key=settings.BSN_PSEUDONYM_KEY)
    assert (again.rotated, again.already_rotated) == (0, 4)


def test_pseudonym_rotate_refuses_without_the_previous_key(db, settings):
    settings.BSN_PSEUDONYM_KEY_PREVIOUS = ""
    with pytest.raises(CommandError):
        call_command("pseudonym_rotate")


def test_other_apps_columns_are_in_the_registry():
    labels = {column.label for column in pseudonym_columns()}
    assert "persons.Youth.parent_pseudonyms (bsn)" in labels
    assert "regions.InstitutionalAddress.bag_pseudonym (bag)" in labels
    with pytest.raises(ValueError):
        register_pseudonym_column(Youth, "pseudonym", "name")

import pytest
from django.core import mail
from django.db import transaction

from matching.models import MatchKey, MatchKind, MatchLink
from persons.events import YouthChange, youth_change_dispatch
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEIGHBOUR = "999970215"  # dwelling 0518010000583568
ELSEWHERE = "999970264"  # another dwelling, no shared parent


def test_a_youth_moving_in_at_a_signalled_address_matches_after_the_brp_refresh(
    brp_youth, place, haaglanden, celery_eager, django_capture_on_commit_callbacks
):
    resident = place(youth=brp_youth(NEIGHBOUR), organisation=OrganisationFactory(region=haaglanden))
    mover_youth = brp_youth(ELSEWHERE)
    mover = place(youth=mover_youth, organisation=OrganisationFactory(region=haaglanden))
    assert MatchLink.objects.count() == 0

    # what the nightly refresh stores and reports when the BRP has the youth at a new dwelling
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mover_youth.bag_pseudonym = resident.youth.bag_pseudonym
        mover_youth.save(update_fields=["bag_pseudonym"])
        youth_change_dispatch(
            YouthChange(
                youth_id=mover_youth.pk,
                old_municipality_code="0518",
                new_municipality_code="0518",
                address_changed=True,
            )
        )

    link = MatchLink.objects.get()
    assert link.kind == MatchKind.ADDRESS
    assert {link.signal_a_id, link.signal_b_id} == {resident.pk, mover.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.professional.email, mover.professional.email])
    # the old address key is gone, so a later signal at the old dwelling does not match the mover
    assert set(MatchKey.objects.filter(signal=mover, kind="address").values_list("value", flat=True)) == {
        resident.youth.bag_pseudonym
    }


def test_a_change_that_is_only_a_move_between_municipalities_does_not_redetect(
    brp_youth, place, haaglanden, django_capture_on_commit_callbacks
):
    youth = brp_youth(NEIGHBOUR)
    place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        youth_change_dispatch(
            YouthChange(youth_id=youth.pk, old_municipality_code="0518", new_municipality_code="0363")
        )
    assert [c for c in callbacks if "match" in repr(c)] == []

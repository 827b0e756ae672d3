"""Ending a signal (archive or destroy) and transferring signals to a colleague."""

import datetime

import pytest

from accounts.models import Membership
from audit.models import LogEntry
from notifications.models import Notification
from persons.models import Youth
from signals import hooks
from signals.exceptions import SignalNotActive, TransferRefused
from signals.models import EndReason, Signal, SignalStatus
from signals.services import professional_deactivate, signal_end, signal_transfer, signals_transfer_all
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_concern_gone_archives_the_signal_for_five_years(professional_user, organisation):
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    signal_end(signal=signal, reason=EndReason.CONCERN_GONE, actor=professional_user, as_of=TODAY)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ARCHIVED
    assert signal.end_reason == EndReason.CONCERN_GONE
    assert signal.archive_until == datetime.date(2031, 3, 2)
    assert LogEntry.objects.filter(action="signal_ended", signal_id=signal.pk, details__outcome="archived").exists()


def test_archive_term_stops_at_the_23rd_birthday(professional_user, organisation):
    youth = YouthFactory(birth_date=datetime.date(2005, 7, 1))
    signal = SignalFactory(youth=youth, professional=professional_user, organisation=organisation)
    signal_end(signal=signal, reason=EndReason.CONCERN_GONE, actor=professional_user, as_of=TODAY)
    signal.refresh_from_db()
    assert signal.archive_until == datetime.date(2028, 7, 1)


@pytest.mark.parametrize(
    "reason", [EndReason.PLACED_WRONGLY, EndReason.OBJECTION_UPHELD, EndReason.CORRECTION, EndReason.DIED]
)
def test_other_reasons_destroy_the_signal_and_the_youths_personal_data(professional_user, organisation, reason):
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    pk, pseudonym = signal.pk, signal.youth.pseudonym
    signal_end(signal=signal, reason=reason, actor=professional_user)
    assert not Signal.objects.filter(pk=pk).exists()
    assert not Youth.objects.filter(pseudonym=pseudonym).exists()
    entry = LogEntry.objects.get(action="signal_destroyed")
    assert (entry.signal_id, entry.youth_pseudonym, entry.details["reason"]) == (pk, pseudonym, reason.value)
    assert LogEntry.objects.filter(action="youth_data_destroyed", youth_pseudonym=pseudonym).exists()


def test_youth_is_kept_while_another_signal_refers_to_it(professional_user, organisation, colleague):
    youth = YouthFactory()
    mine = SignalFactory(youth=youth, professional=professional_user, organisation=organisation)
    SignalFactory(youth=youth, professional=colleague, organisation=organisation, status=SignalStatus.ARCHIVED)
    signal_end(signal=mine, reason=EndReason.PLACED_WRONGLY, actor=professional_user)
    assert Youth.objects.filter(pk=youth.pk).exists()


def test_ending_hooks_see_the_signal_before_it_is_archived_or_destroyed(professional_user, organisation, monkeypatch):
    monkeypatch.setattr(hooks.ending, "_handlers", [])
    seen = []
    hooks.register_signal_ending(lambda signal, reason: seen.append((Signal.objects.get(pk=signal.pk).status, reason)))
    first = SignalFactory(professional=professional_user, organisation=organisation)
    second = SignalFactory(professional=professional_user, organisation=organisation)
    signal_end(signal=first, reason=EndReason.CONCERN_GONE, actor=professional_user)
    signal_end(signal=second, reason=EndReason.PLACED_WRONGLY, actor=professional_user)
    assert seen == [(SignalStatus.ACTIVE, EndReason.CONCERN_GONE), (SignalStatus.ACTIVE, EndReason.PLACED_WRONGLY)]


def test_archived_signal_cannot_be_archived_again(professional_user, organisation):
    signal = SignalFactory(professional=professional_user, organisation=organisation, status=SignalStatus.ARCHIVED)
    with pytest.raises(SignalNotActive):
        signal_end(signal=signal, reason=EndReason.CONCERN_GONE, actor=professional_user)


def test_transfer_switches_contact_details_and_tells_both_professionals(
    professional_user, organisation, colleague, monkeypatch
):
    coordinator = professional(organisation)
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    transferred = []
    monkeypatch.setattr(hooks.transferred, "_handlers", [])
    hooks.register_signal_transferred(lambda s, old: transferred.append((s.professional_id, old.pk)))
    signal_transfer(signal=signal, to_professional=colleague, actor=coordinator)
    signal.refresh_from_db()
    assert (signal.professional_id, signal.contact_email, signal.contact_name) == (
        colleague.pk,
        colleague.email,
        colleague.full_name,
    )
    assert transferred == [(colleague.pk, professional_user.pk)]
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {professional_user.pk, colleague.pk}
    assert LogEntry.objects.filter(action="signal_transferred", signal_id=signal.pk, actor_id=coordinator.pk).exists()


def test_transfer_to_someone_of_another_organisation_is_refused(professional_user, organisation, region):
    outsider = professional(OrganisationFactory(region=region))
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    with pytest.raises(TransferRefused):
        signal_transfer(signal=signal, to_professional=outsider, actor=outsider)
    signal.refresh_from_db()
    assert signal.professional_id == professional_user.pk


def test_transfer_to_colleague_with_own_active_signal_on_the_youth_is_refused(
    professional_user, organisation, colleague
):
    youth = YouthFactory()
    signal = SignalFactory(youth=youth, professional=professional_user, organisation=organisation)
    SignalFactory(youth=youth, professional=colleague, organisation=organisation)
    with pytest.raises(TransferRefused, match="al een actief signaal"):
        signal_transfer(signal=signal, to_professional=colleague, actor=colleague)


def test_a_colleague_s_signal_placed_after_the_check_refuses_the_transfer_with_the_same_message(
    professional_user, organisation, colleague, monkeypatch
):
    """Found by tests/reliability/test_lock_order.py: the colleague's placement committed between the transfer's
    check and its write, and the professional got a database error instead of the refusal."""
    from signals import services

    youth = YouthFactory()
    signal = SignalFactory(youth=youth, professional=professional_user, organisation=organisation)
    check = services._check_transfer

    def check_then_the_colleague_places(signal, to_professional):
        check(signal, to_professional)
        SignalFactory(youth=youth, professional=colleague, organisation=organisation)

    monkeypatch.setattr(services, "_check_transfer", check_then_the_colleague_places)
    with pytest.raises(TransferRefused, match="al een actief signaal"):
        signal_transfer(signal=signal, to_professional=colleague, actor=colleague)


def test_transfer_all_moves_active_and_archived_signals_with_one_mail_each(professional_user, organisation, colleague):
    SignalFactory.create_batch(2, professional=professional_user, organisation=organisation)
    SignalFactory(professional=professional_user, organisation=organisation, status=SignalStatus.ARCHIVED)
    count = signals_transfer_all(
        from_professional=professional_user, to_professional=colleague, actor=colleague, organisation=organisation
    )
    assert count == 3
    assert not Signal.objects.filter(professional=professional_user).exists()
    assert Notification.objects.count() == 2


def test_deactivating_a_professional_with_active_signals_asks_for_a_transfer(
    professional_user, organisation, colleague
):
    SignalFactory(professional=professional_user, organisation=organisation)
    membership = Membership.objects.get(user=professional_user)
    with pytest.raises(TransferRefused, match="Draag ze eerst over"):
        professional_deactivate(membership=membership, actor=colleague)
    membership.refresh_from_db()
    assert membership.active
    professional_deactivate(membership=membership, transfer_to=colleague, actor=colleague)
    membership.refresh_from_db()
    assert not membership.active
    assert Signal.objects.get().professional_id == colleague.pk


def test_deactivating_a_professional_without_active_signals_needs_no_transfer(professional_user, colleague):
    membership = Membership.objects.get(user=professional_user)
    professional_deactivate(membership=membership, actor=colleague)
    membership.refresh_from_db()
    assert not membership.active

"""The one way to e-mail a region's process managers: active ones of that region, once each, with its link."""

import pytest

from accounts.models import Membership, Role
from notifications.models import Notification
from regions.services import process_managers_notify
from tests.accounts.factories import MembershipFactory, process_manager, professional

pytestmark = pytest.mark.django_db


def _notify(region, **extra):
    process_managers_notify(
        region=region,
        kind="move_notice",
        subject="Onderwerp",
        template="regions/email/move_notice",
        context={"notice_reference": "VM-1"},
        dedupe_key="test:1",
        **extra,
    )


def test_only_active_process_managers_of_the_region_are_mailed_once_each(region, other_region, organisation):
    manager = process_manager(region)
    MembershipFactory(user=manager, role=Role.FOLLOWUP_MONITOR, organisation=None, region=region)
    gone = process_manager(region)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    stepped_down = process_manager(region)
    Membership.objects.filter(user=stepped_down).update(active=False)
    process_manager(other_region)
    professional(organisation)

    _notify(region)
    _notify(region)

    mails = Notification.objects.filter(kind="move_notice")
    assert [(m.recipient_id, m.dedupe_key) for m in mails] == [(manager.pk, f"test:1:{manager.pk}")]
    assert mails[0].context == {"notice_reference": "VM-1", "region_name": region.name}


def test_also_adds_active_people_once_and_a_path_becomes_a_link_on_the_regions_host(region, organisation, settings):
    settings.SITE_SCHEME, settings.SITE_PORT = "https", ""
    manager = process_manager(region)
    colleague = professional(organisation)
    gone = professional(organisation)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    _notify(region, also=[colleague, manager, gone, None], path="/beheer/verhuizingen/")

    mails = Notification.objects.filter(kind="move_notice").order_by("recipient_id")
    assert [m.recipient_id for m in mails] == sorted([manager.pk, colleague.pk])
    assert {m.context["url"] for m in mails} == {f"https://{region.slug}.localhost/beheer/verhuizingen/"}

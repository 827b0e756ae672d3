"""The data migration carries the per-youth coordinators, follow-ups, hand-overs and monitor notes to matches."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("matching", "0001_initial"), ("regions", "0005_region_parameters")]
AFTER = [("matching", "0003_carry_over_to_matches")]


def _migrate(targets):
    """Migrate these apps to these migrations; the models as the database now has them (other apps: latest)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = MigrationExecutor(connection).loader.applied_migrations
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node in applied]
    return executor.loader.project_state(leaves + [t for t in targets if t not in leaves]).apps


@pytest.fixture
def migrated_back():
    """The schema before the match; whatever happens, the latest schema again afterwards (other tests need it)."""
    try:
        yield _migrate(BEFORE)
    finally:
        # every app to its newest migration: going back took later migrations of other apps back too
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_family_with_two_coordinators_becomes_one_match_with_the_follow_up_kept(migrated_back):
    apps = migrated_back
    Region = apps.get_model("regions", "Region")
    Municipality = apps.get_model("regions", "Municipality")
    Organisation = apps.get_model("regions", "Organisation")
    User = apps.get_model("accounts", "User")
    Youth = apps.get_model("persons", "Youth")
    Signal = apps.get_model("signals", "Signal")
    MatchLink = apps.get_model("matching", "MatchLink")
    Coordinator = apps.get_model("matching", "MatchCoordinator")
    FollowUp = apps.get_model("matching", "MatchFollowUp")
    Check = apps.get_model("regions", "FollowUpCheck")

    region = Region.objects.create(name="Regio", slug="regio-migratie", contact_email="pm@example.nl")
    Municipality.objects.create(cbs_code="0518", name="'s-Gravenhage", region=region)
    organisation = Organisation.objects.create(region=region, name="Org", code="org-migratie", sector="youth_care")
    users = [User.objects.create(email=f"p{n}@migratie.example.nl", full_name=f"P {n}", password="!") for n in range(3)]
    now = datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)

    def youth(n):
        return Youth.objects.create(
            pseudonym=f"pseudo-{n}", bsn_encrypted=f"x{n}", birth_date=datetime.date(2015, 1, 1),
            birth_date_brp="20150101", municipality_code="0518", refreshed_at=now,
        )  # fmt: skip

    def signal(youth, user, minutes):
        return Signal.objects.create(
            youth=youth, professional=user, organisation=organisation, contact_name=user.full_name,
            contact_email=user.email, placed_at=now + datetime.timedelta(minutes=minutes),
            ends_on=datetime.date(2028, 6, 1), informing_status="informed",
        )  # fmt: skip

    sister, brother = youth(1), youth(2)
    a = signal(sister, users[0], 1)
    b = signal(brother, users[1], 2)
    c = signal(brother, users[2], 3)
    MatchLink.objects.create(signal_a=a, signal_b=b, kind="family", created_at=now)
    MatchLink.objects.create(signal_a=a, signal_b=c, kind="family", created_at=now)
    MatchLink.objects.create(signal_a=b, signal_b=c, kind="same_youth", created_at=now)
    # two coordinators for one family, as before issue #15; the brother's had a pending hand-over
    sisters = Coordinator.objects.create(youth=sister, signal=a, assigned_at=now)
    Coordinator.objects.create(youth=brother, signal=b, assigned_at=now, proposed_signal=c, proposed_at=now)
    FollowUp.objects.create(youth=brother, contact_made_on=datetime.date(2026, 6, 3), recorded_by=users[1])
    Check.objects.create(region=region, coordinator=sisters, monitor_name="Monitor", note="gebeld")

    apps = _migrate(AFTER)
    Match = apps.get_model("matching", "Match")
    Participation = apps.get_model("matching", "MatchParticipation")
    NewCheck = apps.get_model("matching", "FollowUpCheck")
    (match,) = Match.objects.all()
    assert match.coordinator_signal_id == a.pk  # the earliest active signal: the rules of the region (none)
    assert match.region_id == region.pk
    assert set(Participation.objects.filter(match=match).values_list("signal_id", flat=True)) == {a.pk, b.pk, c.pk}
    # contact recorded for the brother: kept for his signals and for the signals linked to them
    contact = dict(Participation.objects.values_list("signal_id", "contact_made_on"))
    assert contact == dict.fromkeys((a.pk, b.pk, c.pk), datetime.date(2026, 6, 3))
    # the hand-over was pending on the coordinator that gave way: it lapses
    assert match.proposed_signal_id is None
    assert NewCheck.objects.get().match_id == match.pk

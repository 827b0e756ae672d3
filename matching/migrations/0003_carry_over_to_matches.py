"""Carry the per-youth coordinators, follow-ups, pending hand-overs and monitor notes over to matches.

A match is a connected component of the stored links. Its coordinator: an accepted hand-over that is
still active, else the earliest active signal meeting the rules of the region where the youth of the
earliest active signal lives, else that earliest signal. When two youths of one family had different
coordinators, the output names the match and the coordinator that gave way (ids only, no person data).
Follow-up: contact recorded for a youth is kept on the participations of that youth's signals and of
the signals linked to them; the match is "afgestemd" on the latest date any of its youths was.
"""

from collections import defaultdict

from django.db import migrations


def _components(links):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _created in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return list(groups.values())


def _choose(candidates, rules):
    for rule in rules:
        for candidate in candidates:
            organisation = candidate.organisation
            if organisation.sector == rule.sector and (not rule.subtype or organisation.subtype == rule.subtype):
                return candidate
    return candidates[0] if candidates else None


def forwards(apps, schema_editor):
    MatchLink = apps.get_model("matching", "MatchLink")
    Match = apps.get_model("matching", "Match")
    Participation = apps.get_model("matching", "MatchParticipation")
    NewCheck = apps.get_model("matching", "FollowUpCheck")
    Coordinator = apps.get_model("matching", "MatchCoordinator")
    FollowUp = apps.get_model("matching", "MatchFollowUp")
    OldCheck = apps.get_model("regions", "FollowUpCheck")
    Signal = apps.get_model("signals", "Signal")
    Municipality = apps.get_model("regions", "Municipality")
    CoordinatorRule = apps.get_model("regions", "CoordinatorRule")

    links = list(MatchLink.objects.order_by("id").values_list("signal_a_id", "signal_b_id", "created_at"))
    if not links:
        return
    first_link = {}
    neighbours = defaultdict(set)
    for a, b, created in links:
        for one, other in ((a, b), (b, a)):
            neighbours[one].add(other)
            if one not in first_link or created < first_link[one]:
                first_link[one] = created
    signals = {
        s.pk: s
        for s in Signal.objects.filter(pk__in=list(first_link)).select_related("organisation", "youth")
    }
    region_of_code = dict(Municipality.objects.exclude(region=None).values_list("cbs_code", "region_id"))
    rules = defaultdict(list)
    for rule in CoordinatorRule.objects.order_by("position", "id"):
        rules[rule.region_id].append(rule)
    coordinators = {row.youth_id: row for row in Coordinator.objects.all()}
    follow_ups = {row.youth_id: row for row in FollowUp.objects.all()}
    match_of_youth = {}

    for component in sorted(_components(links), key=min):
        members = sorted((signals[pk] for pk in component if pk in signals), key=lambda s: (s.placed_at, s.pk))
        active = [s for s in members if s.status == "active"]
        region_id = region_of_code.get(active[0].youth.municipality_code) if active else None
        youth_ids = {s.youth_id for s in members}
        held = [coordinators[y] for y in sorted(youth_ids) if y in coordinators and coordinators[y].signal_id]
        kept = next(
            (row for row in held if row.handed_over and row.signal_id in {s.pk for s in active}),
            None,
        )
        chosen = (
            next(s for s in active if s.pk == kept.signal_id)
            if kept
            else _choose(active, rules.get(region_id, []))
        )
        match = Match.objects.create(
            created_at=min(first_link[s.pk] for s in members),
            coordinator_signal=chosen,
            coordinator_since=(kept.assigned_at if kept else None) or (min(first_link[s.pk] for s in members)),
            handed_over=kept is not None,
            region_id=region_id,
        )
        if chosen is not None:
            pending = next(
                (
                    row
                    for row in held
                    if row.signal_id == chosen.pk
                    and row.proposed_signal_id in {s.pk for s in active}
                    and row.proposed_signal_id != chosen.pk
                ),
                None,
            )
            if pending is not None:
                match.proposed_signal_id = pending.proposed_signal_id
                match.proposed_at = pending.proposed_at
            for row in held:
                if row.signal_id != chosen.pk:
                    print(f"\n  match {match.pk}: coordinator signal {row.signal_id} gave way to {chosen.pk}")
        contact = {}
        agreed = []
        for youth_id in youth_ids:
            match_of_youth[youth_id] = match
            follow_up = follow_ups.get(youth_id)
            if follow_up is None:
                continue
            if follow_up.coordination_agreed_on:
                agreed.append(follow_up.coordination_agreed_on)
            if follow_up.contact_made_on:
                own = {s.pk for s in members if s.youth_id == youth_id}
                for pk in own | {other for pk in own for other in neighbours[pk]}:
                    if pk not in contact or follow_up.contact_made_on < contact[pk][1]:
                        contact[pk] = (follow_up, follow_up.contact_made_on)
        match.coordination_agreed_on = max(agreed) if agreed else None
        match.save()
        Participation.objects.bulk_create(
            [
                Participation(
                    match=match,
                    signal_id=s.pk,
                    joined_at=first_link[s.pk],
                    contact_made_on=contact[s.pk][1] if s.pk in contact else None,
                    recorded_by_id=contact[s.pk][0].recorded_by_id if s.pk in contact else None,
                    recorded_at=contact[s.pk][0].recorded_at if s.pk in contact else None,
                )
                for s in members
            ]
        )
    for check in OldCheck.objects.select_related("coordinator"):
        match = match_of_youth.get(check.coordinator.youth_id)
        if match is not None:
            NewCheck.objects.create(
                match=match,
                region_id=check.region_id,
                monitor_id=check.monitor_id,
                monitor_name=check.monitor_name,
                note=check.note,
            )
            NewCheck.objects.filter(match=match, monitor_name=check.monitor_name, note=check.note).update(
                noted_at=check.noted_at
            )


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0002_match"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

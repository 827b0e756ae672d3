"""National-scale data for the benchmarks, loaded with COPY into a separate database in the project's schema.

At BENCH_SCALE=1: 5,000,000 youths in households of realistic size (1-5 children, one or two parents,
some half-siblings through a shared parent, siblings at one address), 400,000 active and 1,000,000
archived signals clustered in families, their match keys and pair links (same youth, family,
address) as matching stores them, match coordinators, 25 regions, 342 municipalities, 2,500
organisations and 50,000 professionals. BSNs pass the elfproef and are stored as the application
stores them: Fernet-encrypted and as keyed pseudonyms (computed with the project's own functions).

    DATABASE_URL=postgres://.../verwijsindex_bench BENCH_SCALE=0.01 python benchmarks/national_data.py

The database must exist and be migrated (benchmarks/run_all.py does both). Prints counts and timings.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.bench")

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
YOUTHS = int(5_000_000 * SCALE)
ACTIVE = int(400_000 * SCALE)
ARCHIVED = int(1_000_000 * SCALE)
REGIONS = max(2, int(25 * min(1, SCALE * 10)))
MUNICIPALITIES = max(8, int(342 * min(1, SCALE * 10)))
ORGANISATIONS = max(40, int(2_500 * SCALE))
PROFESSIONALS = max(400, int(50_000 * SCALE))
# the people the HTTP load logs in as: professionals of the first organisations of region 1
LOAD_USERS = 64
TODAY = datetime.date.today()
# children per household (CBS: most families have one or two children)
CHILDREN = ([1] * 42) + ([2] * 38) + ([3] * 14) + ([4] * 4) + ([5] * 2)
SECTORS = [
    ("youth_care", "youth_care_provider"),
    ("youth_care", "veilig_thuis"),
    ("youth_health_care", "ggd"),
    ("education", "school"),
    ("social_support", "wijkteam"),
    ("health_care", "general_practitioner"),
    ("police_and_justice", "police"),
]


def bsn_from(number: int) -> str:
    """A nine-digit number passing the elfproef, from an eight-digit stem (None-free: retries the stem)."""
    while True:
        digits = f"{number:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check < 10:
            return digits + str(check)
        number += 1


def copy(model, columns: list[str], rows) -> int:
    """COPY rows into the model's table; every column not given gets the model field's default."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    given = [model._meta.get_field(c).column for c in columns]
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        value = field.get_default()
        defaults[field.column] = Jsonb(value) if field.get_internal_type() == "JSONField" else value
    sql = f"COPY {model._meta.db_table} ({', '.join(given + list(defaults))}) FROM STDIN"
    extra = list(defaults.values())
    count = 0
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as pipe:
        for row in rows:
            pipe.write_row(list(row) + extra)
            count += 1
    return count


def reset_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")


def say(message: str, started: float) -> None:
    print(f"[data] {message} ({time.monotonic() - started:.1f} s)", flush=True)


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership, User
    from matching.models import Match, MatchKey, MatchLink, MatchParticipation
    from persons.bsn import bag_pseudonym, bsn_encrypt, bsn_pseudonym
    from persons.models import Youth
    from regions.models import Municipality, Organisation, Region
    from signals.models import Signal

    rng = random.Random(20261122)
    started = time.monotonic()
    now = timezone.now()
    assert "bench" in connection.settings_dict["NAME"], "refusing to load benchmark data outside a bench database"

    # --- regions, municipalities, organisations, professionals ------------------------------
    copy(
        Region,
        ["id", "name", "slug", "hostnames", "contact_email"],
        (
            (r, f"Verwijsindex Bench {r}", f"bench-{r}", [], f"procesmanager@bench-{r}.example.nl")
            for r in range(1, REGIONS + 1)
        ),
    )
    codes = [f"{c:04d}" for c in range(1, MUNICIPALITIES + 1)]
    copy(
        Municipality,
        ["id", "cbs_code", "name", "region"],
        ((i + 1, code, f"Gemeente {code}", i % REGIONS + 1) for i, code in enumerate(codes)),
    )
    copy(
        Organisation,
        ["id", "name", "code", "sector", "subtype", "region", "convenant_date", "active", "email", "phone"],
        (
            (o, f"Organisatie {o}", f"bench-org-{o}", *SECTORS[o % len(SECTORS)], (o - 1) % REGIONS + 1,
             datetime.date(2020, 1, 1), True, f"info@org{o}.example.nl", "030 123 4567")
            for o in range(1, ORGANISATIONS + 1)
        ),
    )  # fmt: skip
    password = make_password("bench-password-not-used-for-login")
    copy(
        User,
        ["id", "email", "full_name", "phone", "password", "is_active", "date_joined"],
        (
            (u, f"prof{u}@bench.example.nl", f"Professional {u}", "06 1234 5678", password, True, now)
            for u in range(1, PROFESSIONALS + 1)
        ),
    )
    # professional u works for organisation (u - 1) % ORGANISATIONS + 1: the first ones are in region 1
    org_of = {u: (u - 1) % ORGANISATIONS + 1 for u in range(1, PROFESSIONALS + 1)}
    copy(
        Membership,
        ["id", "user", "role", "organisation", "active", "created_at"],
        ((u, u, "professional", org_of[u], True, now) for u in range(1, PROFESSIONALS + 1)),
    )
    for model in (Region, Municipality, Organisation, User, Membership):
        reset_sequence(model)
    say(f"{REGIONS} regions, {MUNICIPALITIES} municipalities, {ORGANISATIONS} organisations, "
        f"{PROFESSIONALS} professionals", started)  # fmt: skip

    # --- households and youths ------------------------------------------------------------
    # signals cluster in families: a signalled household has signals on most of its children
    signals_total = ACTIVE + ARCHIVED
    family_signal_share = min(1.0, signals_total / max(1, YOUTHS) * 1.25)
    youth_rows, families = [], []  # families: (youth ids, parent pseudonyms, address pseudonym)
    bsn_stem = 60_000_000
    parent_stem = 20_000_000
    previous_parent = None
    youth_id = 0
    while youth_id < YOUTHS:
        children = min(rng.choice(CHILDREN), YOUTHS - youth_id)
        parents = [bsn_pseudonym(bsn_from(parent_stem))]
        parent_stem += 3
        if rng.random() < 0.8:  # two parents
            parents.append(bsn_pseudonym(bsn_from(parent_stem)))
            parent_stem += 3
        if previous_parent and rng.random() < 0.05:  # half-siblings: a parent shared with the last family
            parents[-1] = previous_parent
        previous_parent = parents[-1]
        bag = bag_pseudonym(f"{rng.randrange(1, 999):04d}01{youth_id:010d}")
        code = rng.choice(codes)
        eldest_age = rng.randint(0, 22)
        ids = []
        for child in range(children):
            youth_id += 1
            age_days = max(0, eldest_age * 365 - child * rng.randint(300, 1500)) + rng.randint(0, 364)
            born = TODAY - datetime.timedelta(days=age_days)
            bsn = bsn_from(bsn_stem)
            bsn_stem = int(bsn[:8]) + 1
            youth_rows.append(
                (youth_id, bsn_pseudonym(bsn), bsn_encrypt(bsn), f"Kind{youth_id}", "", f"Familie{len(families)}",
                 born.strftime("%Y%m%d"), born, rng.choice("MV"), "Benchstraat", youth_id % 300 + 1, "1234AB",
                 "Benchdorp", bag, code, parents, False, now)
            )  # fmt: skip
            ids.append(youth_id)
        if rng.random() < family_signal_share:
            families.append((ids, parents, bag))
        if len(youth_rows) >= 200_000:
            _copy_youths(copy, Youth, youth_rows)
            youth_rows.clear()
            say(f"{youth_id:,} youths", started)
    _copy_youths(copy, Youth, youth_rows)
    reset_sequence(Youth)
    say(f"{YOUTHS:,} youths in households; {len(families):,} households with signals", started)

    # --- signals, match keys, links, coordinators ---------------------------------------------
    signal_rows, key_rows, link_rows, match_rows, participation_rows = [], [], [], [], []
    match_id = 0
    remaining_active, remaining = ACTIVE, signals_total
    signal_id = 0
    done = False
    for ids, parents, bag in families:
        family_signals = []  # (signal id, youth id)
        for youth in ids:
            if rng.random() > 0.75:
                continue
            professionals = rng.sample(range(1, PROFESSIONALS + 1), 2 if rng.random() < 0.2 else 1)
            for professional in professionals:
                if remaining == 0:
                    done = True
                    break
                signal_id += 1
                active = rng.random() < remaining_active / remaining
                remaining -= 1
                remaining_active -= active
                if active:
                    placed = now - datetime.timedelta(days=rng.randint(1, 729))
                    ends_on = (placed + datetime.timedelta(days=730)).date()
                    ended_at, reason, archive_until, status = None, "", None, "active"
                    # reminded already when the end is within the default 4 weeks
                    reminded = now if (ends_on - TODAY).days <= 28 else None
                else:
                    # archived within the last 5 years (older entries would have been destroyed already)
                    ended_at = now - datetime.timedelta(days=rng.randint(1, 5 * 365 - 1))
                    expired = rng.random() < 0.5
                    placed = ended_at - datetime.timedelta(days=730 if expired else rng.randint(30, 729))
                    ends_on = (placed + datetime.timedelta(days=730)).date()
                    reason = "expired" if expired else "concern_gone"
                    archive_until = ended_at.date() + datetime.timedelta(days=5 * 365)
                    status = "archived"
                    reminded = None
                signal_rows.append(
                    (signal_id, youth, professional, org_of[professional], f"Professional {professional}",
                     f"prof{professional}@bench.example.nl", "06 1234 5678", placed, ends_on, status, ended_at,
                     reason, archive_until, placed, "informed", "parents", placed.date(), "gesprek", reminded)
                )  # fmt: skip
                key_rows.append((signal_id, "youth", str(youth)))
                key_rows.extend((signal_id, "parent", p) for p in parents)
                key_rows.append((signal_id, "address", bag))
                family_signals.append((signal_id, youth, professional))
            if done:
                break
        # pair links as matching stores them: same youth, or family and address for siblings
        linked = set()
        for i, (a, youth_a, prof_a) in enumerate(family_signals):
            for b, youth_b, prof_b in family_signals[i + 1 :]:
                if prof_a == prof_b:
                    continue
                kinds = ["same_youth"] if youth_a == youth_b else ["family", "address"]
                link_rows.extend((a, b, kind, now) for kind in kinds)
                linked |= {a, b}
        if linked:
            # one match per family (its linked signals), coordinated by its earliest signal
            match_id += 1
            match_rows.append((match_id, now, min(linked), now, False, 0))
            participation_rows.extend((match_id, signal, now) for signal in sorted(linked))
        if len(signal_rows) >= 100_000 or done:
            _flush_signals(copy, Signal, MatchKey, MatchLink, Match, MatchParticipation, signal_rows, key_rows,
                           link_rows, match_rows, participation_rows)  # fmt: skip
            say(f"{signal_id:,} signals", started)
        if done:
            break
    _flush_signals(copy, Signal, MatchKey, MatchLink, Match, MatchParticipation, signal_rows, key_rows, link_rows,
                   match_rows, participation_rows)  # fmt: skip
    for model in (Signal, MatchKey, MatchLink, Match, MatchParticipation):
        reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT status, count(*) FROM signals_signal GROUP BY status ORDER BY status")
        counts = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM matching_matchlink")
        links = cursor.fetchone()[0]
    say(f"signals {counts}, match links {links:,}; analysed", started)


def _copy_youths(copy, Youth, rows) -> None:  # noqa: N803 - a model class
    copy(
        Youth,
        ["id", "pseudonym", "bsn_encrypted", "first_names", "name_prefix", "surname", "birth_date_brp", "birth_date",
         "sex", "street", "house_number", "postcode", "town", "bag_pseudonym", "municipality_code",
         "parent_pseudonyms", "confidential", "refreshed_at"],
        rows,
    )  # fmt: skip


def _flush_signals(copy, Signal, MatchKey, MatchLink, Match, MatchParticipation, signals, keys, links, matches,  # noqa: N803
                   participations) -> None:  # fmt: skip
    copy(
        Signal,
        ["id", "youth", "professional", "organisation", "contact_name", "contact_email", "contact_phone",
         "placed_at", "ends_on", "status", "ended_at", "end_reason", "archive_until", "matched_at",
         "informing_status", "informed_whom", "informed_on", "informed_how", "reminder_sent_at"],
        signals,
    )  # fmt: skip
    copy(MatchKey, ["signal", "kind", "value"], keys)
    copy(MatchLink, ["signal_a", "signal_b", "kind", "created_at"], links)
    copy(Match, ["id", "created_at", "coordinator_signal", "coordinator_since", "handed_over", "version"], matches)
    copy(MatchParticipation, ["match", "signal", "joined_at"], participations)
    for rows in (signals, keys, links, matches, participations):
        rows.clear()


if __name__ == "__main__":
    main()

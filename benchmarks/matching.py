"""Benchmark of match detection: time from a new signal's commit to its outbox rows.

For each size (10,000 and 1,000,000 signals already stored) a separate database in the project's
own schema (`<database>_bench_matching_<size>`) is migrated and bulk-loaded with COPY: youths in
families of three (two shared parent pseudonyms, one shared dwelling), two signals per youth by
different professionals, and every signal's match keys. Then new signals are placed on random
stored youths; for each, `match_detect` runs as the Celery worker would after the commit, and the
wall time and the database time (the sum of its statements' execution times) are recorded until
its transaction commits with the links and the outbox rows. Each new signal matches 6 stored
signals (2 on the same youth, 4 on its two siblings) and writes about 7 outbox rows.

Target: p95 of database time under 50 ms at both sizes; the cost must not grow with the size.
Figures are printed and written to benchmarks/results/matching.txt.

    . /tmp/<name>.env && .venv/bin/python benchmarks/matching.py              # both sizes
    .venv/bin/python benchmarks/matching.py --sizes 10000 --trials 100        # smaller run
    BENCH_EXPLAIN=1 .venv/bin/python benchmarks/matching.py --one 10000       # plans of one detection (stderr)
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.test")

from benchmarks.benchdb import bench_database_url, copy_rows, create_database, drop_database, setup_django  # noqa: E402

FAMILY_SIZE = 3
PROFESSIONALS = 2000
TARGET_MS = 50.0


def _hex(kind: str, n: int) -> str:
    return f"{kind}{n:060x}"[:64].ljust(64, "0")


def load(size: int) -> dict:
    """Bulk-load `size` signals (two per youth) with their match keys."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from matching.models import Match, MatchKey, MatchParticipation
    from persons.models import Youth
    from regions.models import Municipality, Organisation, Region
    from signals.models import Signal

    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        region = Region.objects.create(name="Bench", slug="bench", contact_email="pm@bench.example.nl")
        Municipality.objects.create(cbs_code="0518", name="'s-Gravenhage", region=region)
        organisations = [
            Organisation.objects.create(
                name=f"Org {i}",
                code=f"bench-{i}",
                sector="youth_care",
                region=region,
                convenant_date=datetime.date(2020, 1, 1),
            )
            for i in range(20)
        ]
        users = User.objects.bulk_create(
            [User(email=f"prof{i}@bench.example.nl", full_name=f"Professional {i}") for i in range(PROFESSIONALS + 500)]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, role=Role.PROFESSIONAL, organisation=organisations[i % 20])
                for i, user in enumerate(users)
            ]
        )
    user_ids = [u.pk for u in users]
    org_of_user = {u.pk: organisations[i % 20].pk for i, u in enumerate(users)}

    youths = size // 2
    birth = datetime.date(2014, 5, 1)

    def youth_rows():
        for n in range(youths):
            family = n // FAMILY_SIZE
            yield (
                _hex("y", n),
                "bench-not-a-real-token",
                f"Kim{n}",
                "",
                "Jansen",
                birth.strftime("%Y%m%d"),
                birth,
                "V",
                "",
                None,
                "",
                "",
                "",
                "",
                _hex("a", family),
                "0518",
                [_hex("p", 2 * family), _hex("p", 2 * family + 1)],
                False,
                None,
                now,
            )

    copy_rows(
        Youth,
        [
            "pseudonym",
            "bsn_encrypted",
            "first_names",
            "name_prefix",
            "surname",
            "birth_date_brp",
            "birth_date",
            "sex",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "town",
            "bag_pseudonym",
            "municipality_code",
            "parent_pseudonyms",
            "confidential",
            "date_of_death",
            "refreshed_at",
        ],
        youth_rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM persons_youth")
        first_youth = cursor.fetchone()[0]

    signal_columns = [
        "youth_id",
        "professional_id",
        "organisation_id",
        "contact_name",
        "contact_email",
        "contact_phone",
        "placed_at",
        "ends_on",
        "status",
        "end_reason",
        "informing_status",
        "informed_whom",
        "informed_how",
        "informing_reason",
        "objection_voiced",
        "objection_override_reason",
        "matched_at",
    ]

    def signal_rows():
        for n in range(size):
            professional = user_ids[(n * 7 + (n % 2) * 13) % PROFESSIONALS]
            yield [
                first_youth + n // 2,
                professional,
                org_of_user[professional],
                "Professional",
                "prof@bench.example.nl",
                "",
                now,
                datetime.date(2028, 1, 1),
                "active" if n % 5 else "archived",
                "",
                "informed",
                "parents",
                "gesprek",
                "",
                False,
                "",
                now,
            ]

    copy_rows(Signal, signal_columns, signal_rows())
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM signals_signal")
        first_signal = cursor.fetchone()[0]

    def key_rows():
        for n in range(size):
            signal_id, youth = first_signal + n, n // 2
            family = youth // FAMILY_SIZE
            yield (signal_id, "youth", str(first_youth + youth))
            yield (signal_id, "parent", _hex("p", 2 * family))
            yield (signal_id, "parent", _hex("p", 2 * family + 1))
            yield (signal_id, "address", _hex("a", family))

    copy_rows(MatchKey, ["signal_id", "kind", "value"], key_rows())
    # each family's six signals already form one match, coordinated by its first signal: a new signal joins it
    families = (size + 2 * FAMILY_SIZE - 1) // (2 * FAMILY_SIZE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM matching_match")
        first_match = cursor.fetchone()[0] + 1
    copy_rows(
        Match,
        ["id", "created_at", "coordinator_signal_id", "coordinator_since", "handed_over", "version"],
        ((first_match + f, now, first_signal + f * 2 * FAMILY_SIZE, now, False, 0) for f in range(families)),
    )
    copy_rows(
        MatchParticipation,
        ["match_id", "signal_id", "joined_at"],
        ((first_match + n // (2 * FAMILY_SIZE), first_signal + n, now) for n in range(size)),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('matching_match', 'id'), max(id)) FROM matching_match")
    with connection.cursor() as cursor:
        # a settled database, as in production: without it the first reads of freshly copied rows write their
        # hint bits and autovacuum works through the new tables during the trials (p95 doubled from run to run)
        cursor.execute("VACUUM ANALYZE")
    return {
        "youths": youths,
        "first_youth": first_youth,
        "trial_users": user_ids[PROFESSIONALS:],
        "org_of_user": org_of_user,
        "load_s": time.monotonic() - started,
    }


def _new_signal(info: dict, *, user_id: int, youth_id: int):
    """A new active signal of this benchmark professional on this stored youth (in the caller's transaction)."""
    from django.utils import timezone

    from signals.models import Signal

    return Signal.objects.create(
        youth_id=youth_id,
        professional_id=user_id,
        organisation_id=info["org_of_user"][user_id],
        contact_name="Nieuwe professional",
        contact_email="nieuw@bench.example.nl",
        placed_at=timezone.now(),
        ends_on=datetime.date(2028, 1, 1),
        informing_status="informed",
    )


def measure(size: int, trials: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    import notifications.services
    from matching.models import MatchLink
    from matching.services import match_detect
    from notifications.models import Notification
    from signals.models import Signal

    call_command("migrate", verbosity=0)
    info = load(size)
    # the broker is not what is measured: queueing the e-mail after the commit is left out
    notifications.services._dispatch_send = lambda notification_id: None

    random.seed(size)
    db_ms, wall_ms, links, rows, statement_counts = [], [], [], [], []
    for trial in range(trials + 10):
        youth_id = info["first_youth"] + random.randrange(info["youths"] - FAMILY_SIZE)
        user_id = info["trial_users"][trial % len(info["trial_users"])]
        with transaction.atomic():
            signal = _new_signal(info, user_id=user_id, youth_id=youth_id)
        spent = [0.0]
        statements = []

        def timer(execute, sql, params, many, context, spent=spent, statements=statements):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started
                statements.append((time.perf_counter() - started, sql))

        before = Notification.objects.count()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            new = match_detect(signal_id=signal.pk)
        wall = time.perf_counter() - started
        if os.environ.get("BENCH_SHOW_QUERIES") and trial == 10:
            for seconds, sql in statements:
                print(f"{seconds * 1000:7.2f} ms  {sql[:150]}", file=sys.stderr)
        if trial >= 10:  # warm-up excluded
            statement_counts.append(len(statements))
            db_ms.append(spent[0] * 1000)
            wall_ms.append(wall * 1000)
            links.append(len(new))
            rows.append(Notification.objects.count() - before)
    assert all(count > 0 for count in links), "every new signal should match"
    # the round trip of a trivial statement on this machine at this moment: what one statement costs at least
    baseline = []
    with connection.cursor() as cursor:
        for _ in range(200):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            baseline.append((time.perf_counter() - started) * 1000)
    result = {
        "size": size,
        "stored_signals": Signal.objects.count() - trials - 10,
        "stored_links_after": MatchLink.objects.count(),
        "load_s": round(info["load_s"], 1),
        "trials": trials,
        "links_per_signal": statistics.mean(links),
        "outbox_rows_per_signal": statistics.mean(rows),
        "db_p50_ms": statistics.median(db_ms),
        "db_p95_ms": statistics.quantiles(db_ms, n=20)[-1],
        "wall_p50_ms": statistics.median(wall_ms),
        "wall_p95_ms": statistics.quantiles(wall_ms, n=20)[-1],
        "statements": statistics.mean(statement_counts),
        "select1_p50_ms": statistics.median(baseline),
        "load_average": os.getloadavg()[0],
    }
    if os.environ.get("BENCH_EXPLAIN"):
        _explain_one_detection(info)
    return result


def _explain_one_detection(info: dict) -> None:
    """Print the plan and server-side time of every statement of one more detection (not part of the figures).

    Each statement is first run under EXPLAIN ANALYZE inside a savepoint that is rolled back, then for real.
    """
    from django.db import connection, transaction

    from matching.services import match_detect

    user_id = info["trial_users"][-1]
    with transaction.atomic():
        signal = _new_signal(info, user_id=user_id, youth_id=info["first_youth"] + info["youths"] // 2)

    def explain(execute, sql, params, many, context):
        # EXPLAIN takes one statement: the logbook's checks, lock and chain read go as several in one round trip
        several = ";" in sql.strip().rstrip(";")
        if several:
            print(
                f"{' '.join(sql.split())[:160]}\n    (several statements in one round trip: no plan)\n", file=sys.stderr
            )
        elif not many and not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            raw = context["cursor"].cursor  # the driver's cursor: these statements bypass the wrappers
            raw.execute("SAVEPOINT bench_explain")
            raw.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(f"    {row[0]}" for row in raw.fetchall())
            raw.execute("ROLLBACK TO SAVEPOINT bench_explain")
            print(f"{' '.join(sql.split())[:160]}\n{plan}\n", file=sys.stderr)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        match_detect(signal_id=signal.pk)


def run_one(size: int, trials: int) -> None:
    url = bench_database_url("matching", size)
    create_database(url)
    setup_django(url)
    try:
        result = measure(size, trials)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.trials)
        return

    lines = [f"Match detection benchmark ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)"]
    print(lines[0], flush=True)
    results = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--trials", str(args.trials)]
        # stderr passes through: errors, and the plans asked for with BENCH_EXPLAIN
        finished = subprocess.run(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        if finished.returncode:
            sys.exit(f"size {size} failed (see above)")
        output = finished.stdout
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        line = (
            f"{result['stored_signals']:>10,} signals stored: commit -> outbox rows, over {result['trials']} new "
            f"signals ({result['links_per_signal']:.1f} links, {result['outbox_rows_per_signal']:.1f} outbox rows "
            f"each): database time p50 {result['db_p50_ms']:.1f} ms, p95 {result['db_p95_ms']:.1f} ms; wall time "
            f"p50 {result['wall_p50_ms']:.1f} ms, p95 {result['wall_p95_ms']:.1f} ms; "
            f"{result.get('statements', 0):.0f} statements per detection; a bare SELECT 1 took "
            f"{result.get('select1_p50_ms', 0):.2f} ms (p50); machine load average {result.get('load_average', 0):.1f} "
            f"(bulk load {result['load_s']} s)"
        )
        lines.append(line)
        print(line, flush=True)
    verdict = all(r["db_p95_ms"] < TARGET_MS for r in results)
    outcome = "met" if verdict else "NOT met"
    lines.append(f"target: p95 database time under {TARGET_MS:.0f} ms at every size -> {outcome}")
    print(lines[-1])
    results_dir = ROOT / "benchmarks" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "matching.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

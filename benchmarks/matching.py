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

from benchmarks.benchdb import (  # noqa: E402
    bench_database_url,
    create_database,
    drop_database,
    indexes_built_after,
    insert_select,
    setup_django,
)

FAMILY_SIZE = 3
PROFESSIONALS = 2000
TARGET_MS = 50.0


def load(size: int) -> dict:
    """Load `size` signals (two per youth) with their match keys and matches, generated in the server.

    Every row comes from generate_series in INSERT ... SELECT statements (nothing is built in Python), so
    1,000,000 signals load in a few minutes; the match keys are derived from the stored youths as detection
    derives them.
    """
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
    family_signals = 2 * FAMILY_SIZE
    # the same 64-character values as detection would store: "y"/"p"/"a", the number in 60 hex digits, "000"
    hex_of = "lpad(to_hex({n}), 60, '0') || '000'"
    params = {
        "now": now,
        "birth": datetime.date(2014, 5, 1),
        "birth_brp": "20140501",
        "ends_on": datetime.date(2028, 1, 1),
        "users": user_ids[:PROFESSIONALS],
        "user_orgs": [org_of_user[pk] for pk in user_ids[:PROFESSIONALS]],
        "professionals": PROFESSIONALS,
    }
    timings = {}
    with connection.cursor() as cursor:
        # bulk load: a lost commit here only costs a rerun; the rows refer to each other correctly by construction,
        # so the foreign-key triggers are off while loading (Django's constraints are deferred: checking 10 million
        # references one by one at the commit took minutes)
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET session_replication_role = replica")
    with transaction.atomic(), indexes_built_after("signals_signal", "matching_matchkey", "persons_youth"):
        step = time.monotonic()
        insert_select(
            Youth,
            {
                "pseudonym": "'y' || " + hex_of.format(n="n"),
                "bsn_encrypted": "'bench-not-a-real-token'",
                "first_names": "'Kim' || n",
                "surname": "'Jansen'",
                "birth_date_brp": "%(birth_brp)s",
                "birth_date": "%(birth)s",
                "sex": "'V'",
                "bag_pseudonym": "'a' || " + hex_of.format(n=f"n / {FAMILY_SIZE}"),
                "municipality_code": "'0518'",
                "parent_pseudonyms": "ARRAY['p' || {}, 'p' || {}]::varchar[]".format(
                    hex_of.format(n=f"2 * (n / {FAMILY_SIZE})"), hex_of.format(n=f"2 * (n / {FAMILY_SIZE}) + 1")
                ),
                "confidential": "false",
                "refreshed_at": "%(now)s",
            },
            f"generate_series(0, {youths - 1}) AS n ORDER BY n",
            params,
        )
        timings["youths_s"] = time.monotonic() - step
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM persons_youth")
            params["first_youth"] = first_youth = cursor.fetchone()[0]
        step = time.monotonic()
        # two signals per youth by different professionals; every fifth one archived
        professional = "(%(users)s::bigint[])[1 + (n * 7 + (n %% 2) * 13) %% %(professionals)s]"
        insert_select(
            Signal,
            {
                "youth_id": "%(first_youth)s + n / 2",
                "professional_id": professional,
                "organisation_id": "(%(user_orgs)s::bigint[])[1 + (n * 7 + (n %% 2) * 13) %% %(professionals)s]",
                "contact_name": "'Professional'",
                "contact_email": "'prof@bench.example.nl'",
                "contact_phone": "''",
                "placed_at": "%(now)s",
                "ends_on": "%(ends_on)s",
                "status": "CASE WHEN n %% 5 = 0 THEN 'archived' ELSE 'active' END",
                "end_reason": "''",
                "informing_status": "'informed'",
                "informed_whom": "'parents'",
                "informed_how": "'gesprek'",
                "informing_reason": "''",
                "objection_voiced": "false",
                "objection_override_reason": "''",
                "matched_at": "%(now)s",
            },
            f"generate_series(0, {size - 1}) AS n ORDER BY n",
            params,
        )
        timings["signals_s"] = time.monotonic() - step
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM signals_signal")
            params["first_signal"] = cursor.fetchone()[0]
        step = time.monotonic()
        # the keys of every signal, derived from its youth as `signal_match_keys` derives them
        insert_select(
            MatchKey,
            {"signal_id": "s.id", "kind": "k.kind", "value": "k.value"},
            "signals_signal s JOIN persons_youth y ON y.id = s.youth_id"
            " CROSS JOIN LATERAL (SELECT 'youth', y.id::text"
            " UNION ALL SELECT 'parent', p FROM unnest(y.parent_pseudonyms) AS p"
            " UNION ALL SELECT 'address', y.bag_pseudonym) AS k(kind, value)",
            params,
        )
        timings["keys_s"] = time.monotonic() - step
        # each family's six signals already form one match, coordinated by its first signal: a new signal joins it
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM matching_match")
            params["first_match"] = cursor.fetchone()[0] + 1
        families = (size + family_signals - 1) // family_signals
        insert_select(
            Match,
            {
                "id": "%(first_match)s + f",
                "created_at": "%(now)s",
                "coordinator_signal_id": f"%(first_signal)s + f * {family_signals}",
                "coordinator_since": "%(now)s",
                "handed_over": "false",
                "version": "0",
            },
            f"generate_series(0, {families - 1}) AS f",
            params,
        )
        insert_select(
            MatchParticipation,
            {
                "match_id": f"%(first_match)s + n / {family_signals}",
                "signal_id": "%(first_signal)s + n",
                "joined_at": "%(now)s",
            },
            f"generate_series(0, {size - 1}) AS n",
            params,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('matching_match', 'id'), max(id)) FROM matching_match")
        timings["matches_s"] = time.monotonic() - step
        step = time.monotonic()
    timings["indexes_s"] = time.monotonic() - step
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")
        cursor.execute("SET session_replication_role = DEFAULT")
        # what the foreign keys would have checked, in three set-wise statements instead of row by row
        for check in (
            "SELECT count(*) FROM signals_signal s LEFT JOIN persons_youth y ON y.id = s.youth_id WHERE y.id IS NULL",
            "SELECT count(*) FROM matching_matchkey k LEFT JOIN signals_signal s ON s.id = k.signal_id"
            " WHERE s.id IS NULL",
            "SELECT count(*) FROM matching_matchparticipation p LEFT JOIN matching_match m ON m.id = p.match_id"
            " LEFT JOIN signals_signal s ON s.id = p.signal_id WHERE m.id IS NULL OR s.id IS NULL",
        ):
            cursor.execute(check)
            assert cursor.fetchone()[0] == 0, check
        step = time.monotonic()
        # a settled database, as in production: without it the first reads of freshly copied rows write their
        # hint bits and autovacuum works through the new tables during the trials (p95 doubled from run to run)
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum_s"] = time.monotonic() - step
    return {
        "youths": youths,
        "first_youth": first_youth,
        "trial_users": user_ids[PROFESSIONALS:],
        "org_of_user": org_of_user,
        "load_s": time.monotonic() - started,
        "load_steps": {name: round(seconds, 1) for name, seconds in timings.items()},
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


def measure(size: int, trials: int, explain: int) -> dict:
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
    load_at_start = os.getloadavg()[0]
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
        "load_average_at_start": load_at_start,
    }
    result |= _explain_detections(info, explain)
    result["load_steps"] = info["load_steps"]
    return result


def _explain_detections(info: dict, count: int) -> dict:
    """Server-side cost of `count` more detections, from EXPLAIN (ANALYZE, BUFFERS): figures that the load of a
    shared machine hardly moves (not part of the timed trials).

    Each statement is first run under EXPLAIN ANALYZE inside a savepoint that is rolled back, then for real; its
    planning and execution time and its shared buffers (hit: in PostgreSQL's cache; read: from the kernel or the
    disk) are summed per detection. With BENCH_EXPLAIN=1 the plans of the first detection go to stderr.
    """
    from django.db import connection, transaction

    from matching.services import match_detect

    random.seed(count)
    show = bool(os.environ.get("BENCH_EXPLAIN"))
    per_detection = []
    for trial in range(count):
        user_id = info["trial_users"][-1 - trial]
        youth_id = info["first_youth"] + random.randrange(info["youths"] - FAMILY_SIZE)
        with transaction.atomic():
            signal = _new_signal(info, user_id=user_id, youth_id=youth_id)
        totals = {"planning_ms": 0.0, "execution_ms": 0.0, "shared_hit": 0, "shared_read": 0, "unplanned": 0}
        statements = []

        def explain(execute, sql, params, many, context, totals=totals, statements=statements, first=trial == 0):
            # EXPLAIN takes one statement: the logbook's checks, lock and chain read go as several in one round trip
            if ";" in sql.strip().rstrip(";") or many:
                totals["unplanned"] += 1
                statements.append((" ".join(sql.split())[:160], None))
            elif not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
                raw = context["cursor"].cursor  # the driver's cursor: these statements bypass the wrappers
                raw.execute("SAVEPOINT bench_explain")
                raw.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
                (plan,) = raw.fetchone()[0]
                raw.execute("ROLLBACK TO SAVEPOINT bench_explain")
                top = plan["Plan"]
                planning = plan.get("Planning", {})
                totals["planning_ms"] += plan["Planning Time"]
                totals["execution_ms"] += plan["Execution Time"]
                totals["shared_hit"] += top.get("Shared Hit Blocks", 0) + planning.get("Shared Hit Blocks", 0)
                totals["shared_read"] += top.get("Shared Read Blocks", 0) + planning.get("Shared Read Blocks", 0)
                if show and first:
                    raw.execute("SAVEPOINT bench_explain")
                    raw.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    text = "\n".join(f"    {row[0]}" for row in raw.fetchall())
                    raw.execute("ROLLBACK TO SAVEPOINT bench_explain")
                    statements.append((" ".join(sql.split())[:160], text))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(explain):
            match_detect(signal_id=signal.pk)
        per_detection.append(totals)
        for sql, text in statements:
            print(f"{sql}\n{text or '    (several statements in one round trip: no plan)'}\n", file=sys.stderr)

    def quantiles(name):
        values = sorted(t[name] for t in per_detection)
        return statistics.median(values), values[int(0.95 * (len(values) - 1))]

    return {
        f"server_{name}_{q}": value
        for name in ("planning_ms", "execution_ms", "shared_hit", "shared_read")
        for q, value in zip(("p50", "p95"), quantiles(name), strict=True)
    } | {"server_unplanned_statements": statistics.mean(t["unplanned"] for t in per_detection), "explained": count}


def run_one(size: int, trials: int, explain: int) -> None:
    url = bench_database_url("matching", size)
    create_database(url)
    setup_django(url)
    try:
        result = measure(size, trials, explain)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--explain", type=int, default=30, help="detections measured under EXPLAIN ANALYZE")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.trials, args.explain)
        return

    lines = [f"Match detection benchmark ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)"]
    print(lines[0], flush=True)
    results = []
    for size in args.sizes:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--trials",
            str(args.trials),
            "--explain",
            str(args.explain),
        ]
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
            f"{result.get('select1_p50_ms', 0):.2f} ms (p50); machine load average "
            f"{result['load_average_at_start']:.1f} "
            f"at the start of the trials, {result['load_average']:.1f} at the end "
            f"(bulk load {result['load_s']} s: {result['load_steps']})"
        )
        lines.append(line)
        print(line, flush=True)
        # what the load of a shared machine hardly moves: the server's own time and the pages it touched
        line = (
            f"{'':>10}  server side, {result['explained']} detections under EXPLAIN (ANALYZE, BUFFERS): execution "
            f"p50 {result['server_execution_ms_p50']:.2f} ms, p95 {result['server_execution_ms_p95']:.2f} ms; "
            f"planning p50 {result['server_planning_ms_p50']:.2f} ms, p95 {result['server_planning_ms_p95']:.2f} ms; "
            f"shared buffers hit p50 {result['server_shared_hit_p50']:.0f}, p95 {result['server_shared_hit_p95']:.0f}, "
            f"read p50 {result['server_shared_read_p50']:.0f}, p95 {result['server_shared_read_p95']:.0f} "
            f"(8 kB pages per detection; {result['server_unplanned_statements']:.0f} logbook round trip without plan)"
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

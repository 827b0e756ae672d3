"""Benchmark of the daily signal life cycle: 1,000,000 signals stored, 100,000 of them due.

Loads the signals with COPY into a separate database in the project's own schema
(`<database>_bench_lifecycle_<size>`, see benchdb.py): two signals per youth, which match, the first
holding the youth's match coordinator role. It runs the steps of `lifecycle_run` for one
day in a fresh process and prints the wall time (in total and per step, with the number of SQL
statements each sent) and the peak RSS; reminders are queued to the Celery broker of REDIS_URL as in
production, so point that at a Redis database of your own. The same is done with 100,000 signals stored
(10,000 due) to show the run's memory does not grow with the number of signals.
Figures are printed and written to benchmarks/results/lifecycle.txt.

    . /tmp/<name>.env && .venv/bin/python benchmarks/lifecycle.py            # both sizes
    .venv/bin/python benchmarks/lifecycle.py --sizes 100000 --keep           # one size, database kept
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.test")

from benchmarks.benchdb import bench_database_url, copy_rows, create_database, drop_database, setup_django  # noqa: E402

AS_OF = datetime.date(2030, 6, 1)
# of the due signals: what each daily step finds (reminders are a day's realistic share)
DUE_SHARE = {"expired": 0.45, "archive_ended": 0.30, "turned_23": 0.15, "died": 0.08, "reminded": 0.02}


def load(size: int) -> dict:
    """Bulk-load `size` signals, 10% of them due on AS_OF, in the project's schema."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from matching.models import Match, MatchLink, MatchParticipation
    from persons.bsn import bsn_pseudonym
    from persons.models import Youth
    from regions.models import Organisation, Region
    from signals.models import Signal
    from signals.rules import add_years

    ACTIVE_YEARS, ARCHIVE_YEARS = 2, 5  # noqa: N806 - the legal maxima, which the bench region keeps

    def noon(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)

    random.seed(size)
    now = timezone.now()
    due = size // 10
    counts = {kind: int(due * share) for kind, share in DUE_SHARE.items()}
    counts["expired"] += due - sum(counts.values())

    with transaction.atomic():
        region = Region.objects.create(name="Bench", slug="bench", contact_email="pm@bench.example.nl")
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
            [User(email=f"prof{i}@bench.example.nl", full_name=f"Professional {i}") for i in range(2000)]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, role=Role.PROFESSIONAL, organisation=organisations[i % 20])
                for i, user in enumerate(users)
            ]
        )

    # two signals per youth (by different professionals); youths of the 23 and death groups are marked so
    youths = size // 2
    turned_23_youths = counts["turned_23"] // 2
    died_youths = counts["died"] // 2
    started = time.monotonic()

    def youth_rows():
        for n in range(youths):
            if n < turned_23_youths:
                birth = datetime.date(2007, 1, 1) + datetime.timedelta(days=n % 150)
            else:
                birth = datetime.date(2012, 1, 1) + datetime.timedelta(days=n % 3000)
            death = datetime.date(2030, 5, 1) if turned_23_youths <= n < turned_23_youths + died_youths else None
            yield (
                bsn_pseudonym(f"{n:09d}"),
                "bench-not-a-real-token",
                "Kim",
                "Jansen",
                birth.strftime("%Y%m%d"),
                birth,
                death,
                now,
                [],
            )

    copy_rows(
        Youth,
        [
            "pseudonym",
            "bsn_encrypted",
            "first_names",
            "surname",
            "birth_date_brp",
            "birth_date",
            "date_of_death",
            "refreshed_at",
            "parent_pseudonyms",
        ],
        youth_rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM persons_youth")
        first_youth = cursor.fetchone()[0]
    user_ids = [u.pk for u in users]
    org_of_user = {u.pk: organisations[i % 20].pk for i, u in enumerate(users)}

    # signal kinds in order: 23 and death groups ride on their youths (first youths), then the others
    expired, archive_ended, reminded = counts["expired"], counts["archive_ended"], counts["reminded"]

    def signal_rows():
        for n in range(size):
            youth_index = n // 2
            professional = user_ids[(n * 7 + (n % 2)) % len(user_ids)]
            rest = n - 2 * (turned_23_youths + died_youths)
            status, ends_on, archive_until, ended_at = "active", datetime.date(2031, 1, 1), None, None
            if rest >= 0:
                if rest < expired:
                    ends_on = AS_OF - datetime.timedelta(days=1 + rest % 30)
                elif rest < expired + archive_ended:
                    status, archive_until, ended_at = "archived", AS_OF - datetime.timedelta(days=rest % 30), now
                elif rest < expired + archive_ended + reminded:
                    ends_on = AS_OF + datetime.timedelta(days=rest % 28)
                elif rest % 3 == 0:
                    status, archive_until, ended_at = "archived", datetime.date(2033, 1, 1), now
            # the dates as placing and archiving leave them (two years active, five archived), so the step that
            # applies a region's lowered periods finds nothing to shorten, as on an ordinary night
            if status == "archived":
                ended_at = noon(add_years(archive_until, -ARCHIVE_YEARS))
                placed_at = ended_at - datetime.timedelta(days=365)
            else:
                placed_at = noon(add_years(ends_on + datetime.timedelta(days=1), -ACTIVE_YEARS))
            yield (
                first_youth + youth_index,
                professional,
                org_of_user[professional],
                "Professional",
                "prof@bench.example.nl",
                "",
                placed_at,
                ends_on,
                status,
                ended_at,
                archive_until,
                "informed",
                now,
            )

    copy_rows(
        Signal,
        [
            "youth",
            "professional",
            "organisation",
            "contact_name",
            "contact_email",
            "contact_phone",
            "placed_at",
            "ends_on",
            "status",
            "ended_at",
            "archive_until",
            "informing_status",
            "matched_at",
        ],
        signal_rows(),
    )
    # the two signals of every youth match, and the first is the match's coordinator: every ending signal that
    # holds it hands it over to the youth's other signal (or clears it) and tells the others
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM signals_signal")
        first_signal = cursor.fetchone()[0]
    pairs = [(first_youth + n, first_signal + 2 * n) for n in range(youths)]
    links = ((a, a + 1, "same_youth", now) for _, a in pairs)
    copy_rows(MatchLink, ["signal_a", "signal_b", "kind", "created_at"], links)
    # one match per youth (its two signals), coordinated by the first
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM matching_match")
        first_match = cursor.fetchone()[0] + 1
    copy_rows(
        Match,
        ["id", "created_at", "coordinator_signal", "coordinator_since", "handed_over", "version"],
        ((first_match + n, now, a, now, False, 0) for n, (_y, a) in enumerate(pairs)),
    )
    copy_rows(
        MatchParticipation,
        ["match", "signal", "joined_at"],
        ((first_match + n, signal, now) for n, (_y, a) in enumerate(pairs) for signal in (a, a + 1)),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('matching_match', 'id'), max(id)) FROM matching_match")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"signals": size, "due": due, "load_seconds": round(time.monotonic() - started, 1), **counts}


def run_once() -> dict:
    """One life-cycle run for AS_OF in this (fresh) process: wall time, per step, and peak RSS.

    The steps are those of `lifecycle_run`, in its order, each timed with the number of SQL statements
    it sent and the time they took in the database (driver included); then `lifecycle_run` runs again
    for the same day, which must find nothing left to do.
    """
    from django.db import connection

    from signals.lifecycle import STEPS, lifecycle_run

    statements = [0, 0.0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[0] += 1
            statements[1] += time.perf_counter() - started

    before = resource.getrusage(resource.RUSAGE_SELF)
    load_before = os.getloadavg()[0]
    counts, steps = {}, {}
    started = time.monotonic()
    with connection.execute_wrapper(timer):
        for name, step in STEPS:
            step_started, step_statements, step_db = time.monotonic(), statements[0], statements[1]
            counts[name] = step(as_of=AS_OF)
            steps[name] = {
                "seconds": round(time.monotonic() - step_started, 1),
                "statements": statements[0] - step_statements,
                "db_seconds": round(statements[1] - step_db, 1),
            }
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    cpu = (usage.ru_utime - before.ru_utime) + (usage.ru_stime - before.ru_stime)
    started = time.monotonic()
    second = lifecycle_run(as_of=AS_OF)
    return {
        "counts": counts,
        "steps": steps,
        "seconds": round(seconds, 1),
        "python_cpu_seconds": round(cpu, 1),
        "load_average": round((load_before + os.getloadavg()[0]) / 2, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "second_run_counts": second,
        "second_run_seconds": round(time.monotonic() - started, 1),
    }


def _child(command: list[str], env: dict) -> str:
    # our own script in a fresh process, so its peak RSS is the run's alone
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--child", choices=["load", "run"])
    parser.add_argument("--size", type=int)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database (to profile it)")
    args = parser.parse_args()

    if args.child:
        setup_django(bench_database_url("lifecycle", args.size))
        if args.child == "load":
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            print(json.dumps(load(args.size)))
        else:
            print(json.dumps(run_once()))
        return

    lines = [f"Signal life cycle benchmark ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC), as of {AS_OF}"]
    for size in [int(s) for s in args.sizes.split(",")]:
        url = bench_database_url("lifecycle", size)
        create_database(url)
        env = dict(os.environ)
        child = [sys.executable, __file__, "--size", str(size), "--child"]
        loaded = json.loads(_child([*child, "load"], env))
        result = json.loads(_child([*child, "run"], env))
        lines.append(
            f"{size:>9,} signals stored, {loaded['due']:>7,} due: run {result['seconds']:>6.1f} s, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB, Python CPU {result['python_cpu_seconds']} s, "
            f"machine load average {result['load_average']} on {os.cpu_count()} cores; counts {result['counts']}; "
            f"second run of the same day {result['second_run_seconds']} s, counts {result['second_run_counts']} "
            f"(load {loaded['load_seconds']} s)"
        )
        lines.append(
            "    per step: "
            + "; ".join(
                f"{name} {step['seconds']} s ({step['statements']:,} statements, {step['db_seconds']} s in them)"
                for name, step in result["steps"].items()
            )
        )
        print("\n".join(lines[-2:]), flush=True)
        if not args.keep:
            drop_database(url)  # leave no million rows behind
    lines.append("target: under 60 s for 1,000,000 stored / 100,000 due; peak RSS about equal for both sizes")
    out = ROOT / "benchmarks" / "results" / "lifecycle.txt"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

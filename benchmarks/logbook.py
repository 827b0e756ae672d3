"""Benchmark of the logbook: writers alone and concurrent, writers whose transaction goes on after logging, a bulk
write, the sealer (where there is one), the chain check and the region search, on a database of its own
(`<database>_bench_logbook`).

    . ./.data/services.env && .venv/bin/python benchmarks/logbook.py [--rows 20000] [--label after]

Runs on the code it finds: before the keyed chain (one country-wide advisory lock per writer, held until the
writer's commit) and after (no lock for writers; a sealer chains after the commit), so one script gives both
figures. Prints the machine's load with them (2 shared cores). Results: benchmarks/results/logbook.txt.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.test")

from benchmarks.benchdb import bench_database_url, create_database, drop_database  # noqa: E402


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000, help="rows written in bulk before the chain check")
    parser.add_argument("--label", default="", help="a name for this run in the results (e.g. before/after)")
    args = parser.parse_args()

    url = bench_database_url("logbook")
    create_database(url)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    call_command("migrate", verbosity=0)

    from audit import services
    from audit.selectors import logbook_chain_check, logbook_for_region
    from audit.services import log_event, log_events
    from persons.bsn import bsn_pseudonym

    sealer = getattr(services, "logbook_seal", None)
    lines = []

    def report(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    design = "sealed after commit, no writer lock" if sealer else "one advisory lock per writer until commit"
    report(f"logbook benchmark {args.label} ({design}); {_load()} at start")
    pseudonyms = [bsn_pseudonym(f"{n:09d}") for n in range(1000)]

    single = 2000
    started = time.perf_counter()
    for n in range(single):
        log_event(action="signal_viewed", region_id=1 + n % 5, youth_pseudonym=pseudonyms[n % 1000], signal_id=n)
    elapsed = time.perf_counter() - started
    report(f"one writer: {single} entries, {elapsed / single * 1000:.2f} ms per entry ({single / elapsed:.0f}/s)")

    def concurrent(writers: int, each: int, after_logging: float) -> float:
        """`writers` threads, each `each` transactions that log one entry and then go on for `after_logging` s."""

        def write() -> None:
            for n in range(each):
                with transaction.atomic():
                    log_event(action="signal_placed", region_id=1 + n % 5, youth_pseudonym=pseudonyms[n % 1000])
                    if after_logging:
                        time.sleep(after_logging)  # the rest of the caller's transaction
            connections.close_all()

        threads = [threading.Thread(target=write) for _ in range(writers)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    elapsed = concurrent(4, 500, 0)
    report(f"4 concurrent writers: 2000 entries in {elapsed:.2f} s ({2000 / elapsed:.0f}/s)")
    elapsed = concurrent(4, 100, 0.005)
    report(
        f"4 writers whose transaction goes on 5 ms after logging: 400 in {elapsed:.2f} s ({400 / elapsed:.0f}/s;"
        f" 4 fully parallel writers would take {100 * 0.005:.1f} s)"
    )

    started = time.perf_counter()
    batch = 10_000
    for start in range(0, args.rows, batch):
        log_events(
            [
                {"action": "signal_expired", "region_id": 1 + n % 5, "youth_pseudonym": pseudonyms[n % 1000]}
                for n in range(start, min(start + batch, args.rows))
            ]
        )
    elapsed = time.perf_counter() - started
    report(f"bulk (log_events, batches of {batch}): {args.rows} entries in {elapsed:.2f} s")

    if sealer:
        started = time.perf_counter()
        sealed = sealer()
        elapsed = time.perf_counter() - started
        report(f"sealer: {sealed} entries chained in {elapsed:.2f} s ({sealed / elapsed:.0f}/s)")

    started = time.perf_counter()
    result = logbook_chain_check()
    elapsed = time.perf_counter() - started
    report(f"logbook_verify: {result.checked} rows in {elapsed:.2f} s, intact={result.intact}")

    from regions.models import Region

    region = Region(pk=3)
    started = time.perf_counter()
    for n in range(100):
        list(logbook_for_region(region=region, youth_pseudonym=pseudonyms[n])[:50])
    elapsed = time.perf_counter() - started
    report(f"region search by pseudonym: {elapsed / 100 * 1000:.2f} ms per page of 50")
    report(f"{_load()} at the end")

    connection.close()
    connections.close_all()
    drop_database(url)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    with (results / "logbook.txt").open("a") as file:
        file.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()

"""Benchmark of the append-only, hash-chained logbook: insert cost under the advisory lock, concurrent writers,
a bulk write, the chain check and the region search, on a separate database (`<database>_bench_logbook`).

    . /tmp/<name>.env && .venv/bin/python benchmarks/logbook.py [--rows 100000]

Figures are printed and written to benchmarks/results/logbook.txt.
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

from benchmarks.benchdb import bench_database_url, create_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="rows written in bulk before the chain check")
    args = parser.parse_args()

    url = bench_database_url("logbook")
    create_database(url)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)

    from audit.selectors import logbook_chain_check, logbook_for_region
    from audit.services import log_event, log_events
    from persons.bsn import bsn_pseudonym

    lines = []

    def report(text: str) -> None:
        print(text)
        lines.append(text)

    pseudonyms = [bsn_pseudonym(f"{n:09d}") for n in range(1000)]

    single = 2000
    started = time.perf_counter()
    for n in range(single):
        log_event(action="signal_viewed", region_id=1 + n % 5, youth_pseudonym=pseudonyms[n % 1000], signal_id=n)
    elapsed = time.perf_counter() - started
    report(f"one writer: {single} entries, {elapsed / single * 1000:.2f} ms per entry ({single / elapsed:.0f}/s)")

    writers, each = 4, 500

    def write(offset: int) -> None:
        for n in range(each):
            log_event(action="signal_placed", region_id=1 + n % 5, youth_pseudonym=pseudonyms[n % 1000], signal_id=n)
        connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    report(
        f"{writers} concurrent writers: {writers * each} entries in {elapsed:.2f} s ({writers * each / elapsed:.0f}/s)"
    )

    started = time.perf_counter()
    batch = 10_000
    for start in range(0, args.rows, batch):
        log_events(
            [
                {
                    "action": "signal_expired",
                    "region_id": 1 + n % 5,
                    "youth_pseudonym": pseudonyms[n % 1000],
                    "signal_id": n,
                }
                for n in range(start, min(start + batch, args.rows))
            ]
        )
    elapsed = time.perf_counter() - started
    report(f"bulk (log_events, batches of {batch}): {args.rows} entries in {elapsed:.2f} s")

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
    started = time.perf_counter()
    list(logbook_for_region(region=region, action="signal_placed")[:50])
    report(f"region search by action, first page: {(time.perf_counter() - started) * 1000:.1f} ms")

    connection.close()
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "logbook.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

"""Queries and in-process time per request of the paths http_load.py drives, through Django's test client.

No network, no server: what one request costs inside Django (middleware, view, template) and how many
SQL statements it sends. The CPU time of this process (without the database's share) varies less with
the machine's load than the wall time. Run against the benchmark database after a `make bench` (or any database
with region-1 professionals that have signals):

    DATABASE_URL=.../verwijsindex_bench python benchmarks/http_queries.py [--repeat 20] [--sql]

The placing flow places real signals for the first professional (on youths the embedded BRP knows).
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="print the statements of the last request of each path")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership
    from benchmarks.http_load import CSRF, _whom, prepare
    from regions.models import Region
    from signals.models import Signal

    region = Region.objects.order_by("id").first()
    host = f"{region.slug}.localhost"
    # of the professionals http_load.py logs in as, the one with the most signals: the heaviest "My matches"
    membership = max(
        Membership.objects.filter(organisation__region=region, role="professional", active=True)
        .select_related("user")
        .annotate(signal_count=Count("user__signals"))
        .order_by("id")[:64],
        key=lambda m: m.signal_count,
    )
    user = membership.user
    client = Client(HTTP_HOST=host)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["last_seen"] = session["session_started"] = int(time.time())
    session.save()
    signal = Signal.objects.filter(professional=user).order_by("id").first()
    _, youths, _ = prepare(1)
    print(f"as user {user.pk} with {membership.signal_count} signals", flush=True)

    def measure(name, request, count=True):
        timings, cpu, counts, last = [], [], [], None
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.thread_time()
            if count:
                with CaptureQueriesContext(connection) as queries:
                    ok = request()
                counts.append(len(queries))
                last = queries
            else:  # several requests: the query log is cleared at each one
                ok = request()
                counts.append(0)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            if not ok:
                print(f"{name}: unexpected answer", file=sys.stderr)
                break
        print(
            f"{name:<28} queries {min(counts):>3}-{max(counts):<3} "
            f"p50 {statistics.median(timings):>7.1f} ms  min {min(timings):>7.1f} ms  "
            f"CPU of this process p50 {statistics.median(cpu):>6.1f} ms",
            flush=True,
        )
        if args.sql and last is not None:
            for query in last.captured_queries:
                print(f"    {query['time']}s {query['sql'][:300]}")

    measure("trivial page (GET /)", lambda: client.get("/").status_code == 200)
    if signal is not None:
        measure("signal page", lambda: client.get(f"/signalen/{signal.pk}/").status_code == 200)
    measure("my matches", lambda: client.get("/matches/").status_code == 200)

    pending = iter(youths)
    steps: dict[str, list] = {}

    def place_flow():
        for bsn, born in pending:
            page = client.get("/signalen/nieuw/")
            token = CSRF.search(page.content.decode()).group(1)
            step = client.post("/signalen/nieuw/", {"csrfmiddlewaretoken": token, "bsn": bsn, "birth_date": born})
            if step.status_code != 302:
                continue  # already a signal on this youth
            client.get(step["Location"])
            step = client.post(step["Location"], {"csrfmiddlewaretoken": token})
            client.get(step["Location"])
            step = client.post(step["Location"], {"csrfmiddlewaretoken": token, "weighed": "on"})
            informing = step["Location"]
            client.get(informing)
            data = {"csrfmiddlewaretoken": token, "status": "informed", "whom": _whom(born),
                    "on": time.strftime("%Y-%m-%d"), "how": "gesprek"}  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                final = client.post(informing, data)
                steps.setdefault("place", []).append(((time.perf_counter() - started) * 1000, len(queries)))
            steps["last"] = queries.captured_queries  # read now: the next request clears the log
            if final.status_code != 302:
                errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', final.content.decode())
                print(f"final POST answered {final.status_code}: {errors[:3]}", file=sys.stderr)
                return False
            client.get(final["Location"])
            return True
        return False

    measure("place flow (5 steps)", place_flow, count=False)
    if steps.get("place"):
        timings = [t for t, _ in steps["place"]]
        counts = [c for _, c in steps["place"]]
        print(
            f"{'place signal (final POST)':<28} queries {min(counts):>3}-{max(counts):<3} "
            f"p50 {statistics.median(timings):>7.1f} ms  min {min(timings):>7.1f} ms"
        )
        if args.sql:
            for query in steps["last"]:
                print(f"    {query['time']}s {query['sql'][:300]}")


if __name__ == "__main__":
    main()

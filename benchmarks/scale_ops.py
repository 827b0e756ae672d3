"""Match detection and the daily life cycle on the national-scale benchmark database.

- match detection: places `--signals` new signals on random stored youths (through signal_place,
  the service the pages and the API call) and times `matching.services.match_detect` for each,
  which looks the new signal's keys up among every stored signal's keys and writes links and outbox
  rows; prints p50/p95/max of detection and of placing;
- life cycle: times `manage.py run_lifecycle --as-of <tomorrow>` (expiry, archive end, 23rd
  birthdays, deaths, reminders) over all stored signals, run twice (the second run finds nothing).

    DATABASE_URL=postgres://.../verwijsindex_bench python benchmarks/scale_ops.py --json out.json
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.bench")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def detection(count: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership
    from matching.services import match_detect
    from persons.models import Youth
    from signals.services import signal_place

    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM persons_youth")
        max_youth = cursor.fetchone()[0]
    memberships = list(Membership.objects.filter(role="professional").select_related("user", "organisation")[:500])
    today = timezone.localdate()
    place_ms, detect_ms, links = [], [], 0
    while len(detect_ms) < count:
        youth = Youth.objects.filter(pk=rng.randint(1, max_youth)).first()
        if youth is None or (today - youth.birth_date).days > 22 * 365:
            continue
        membership = rng.choice(memberships)
        age = (today - youth.birth_date).days // 365
        whom = ["parents"] if age < 12 else ["youth", "parents"] if age < 16 else ["youth"]
        started = time.perf_counter()
        try:
            signal = signal_place(
                professional=membership.user,
                organisation=membership.organisation,
                youth=youth,
                informing={"status": "informed", "whom": whom, "on": today, "how": "gesprek"},
            )
        except Exception:  # noqa: BLE001 - e.g. this professional already signalled this youth: pick another
            continue
        place_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        links += len(match_detect(signal_id=signal.pk))
        detect_ms.append((time.perf_counter() - started) * 1000)
    return {
        "signals": count,
        "links_found": links,
        "place_p50": percentile(place_ms, 0.5),
        "place_p95": percentile(place_ms, 0.95),
        "detect_p50": percentile(detect_ms, 0.5),
        "detect_p95": percentile(detect_ms, 0.95),
        "detect_max": max(detect_ms),
    }


def lifecycle() -> dict:
    as_of = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    runs = []
    for _ in range(2):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "manage.py", "run_lifecycle", "--as-of", as_of],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append(
            {
                "seconds": time.monotonic() - started,
                "ok": result.returncode == 0,
                "output": (result.stdout + result.stderr).strip()[-400:],
            }
        )
    return {"as_of": as_of, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", type=int, default=200)
    parser.add_argument("--json")
    args = parser.parse_args()
    result = {"detection": detection(args.signals), "lifecycle": lifecycle()}
    print(json.dumps(result, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()

"""HTTP load on the running stack: placing a signal, "My matches" and the signal page beside a trivial page.

A small load generator (threads with requests.Session keeping connections open) on loopback only,
bounded in time and count per scenario. Each virtual user is a professional of region 1 of the
benchmark database, logged in with a verified second factor (the session is created the way the
login does it, so no password hashing or TOTP step is timed). Scenarios run one after the other at
the same number of users:

- `trivial page`: GET / (login, two factors, region and role checks, template) - the floor;
- `signal page`: GET /signalen/<id>/ for one of the user's own signals;
- `my matches`: GET /matches/;
- `place signal`: the final POST of the placing flow that calls signal_place (BRP data already
  looked up in the earlier steps); `place flow` is the whole flow (form, BSN look-up, confirm,
  profile, informing, each POST followed by its redirect) for one signal.

Two load models, each a full set of rows:

- `closed loop`: every user sends its next request the moment the answer arrives (no think time).
  This measures the saturated server: latency is about users / throughput, so it shows capacity,
  not what 16 people at work experience;
- `think time` (--think, BENCH_THINK, default 1 s): every user waits that long after each answer
  before the next request, like locust's `constant(1)`; users start spread over one think time.
  In the placing flow the user also pauses between the steps; the flow's time is the sum of its
  response times, without the pauses.

    python benchmarks/http_load.py --port 8123 --users 16 --seconds 15 [--think 1]
"""

import argparse
import datetime
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.bench")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def prepare(users: int) -> tuple[list[dict], list[tuple[str, str]], str]:
    """Sessions for `users` * 4 professionals of region 1, their signal ids, and youths the BRP knows.

    Each professional also gets `placed`: the pseudonyms of the youths they hold an active signal on
    (from an earlier run on reused data), so the placing scenario does not try those again.
    """
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership
    from persons.brp import get_client
    from regions.models import Region
    from signals.models import Signal

    region = Region.objects.order_by("id").first()
    memberships = list(
        Membership.objects.filter(organisation__region=region, role="professional", active=True)
        .select_related("user")
        .order_by("id")[: users * 4]
    )
    people = []
    now = int(time.time())
    for membership in memberships:
        user = membership.user
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = SessionStore()
        session.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
                "otp_device_id": device.persistent_id,
                "last_seen": now,
                "session_started": now,
            }
        )
        session.create()
        signal_ids = list(Signal.objects.filter(professional=user).values_list("id", flat=True)[:50])
        placed = set(
            Signal.objects.filter(professional=user, status="active").values_list("youth__pseudonym", flat=True)
        )
        people.append({"session": session.session_key, "signals": signal_ids, "user_id": user.pk, "placed": placed})

    # youths the (embedded) BRP resolves: alive, full date of birth, under 23
    data = json.loads(Path(settings.BRP_TEST_DATA).read_text())
    cutoff = (datetime.date.today() - datetime.timedelta(days=22 * 365)).strftime("%Y%m%d")
    client = get_client()
    youths = []
    for person in data:
        born = person.get("geboorte", {}).get("datum", "")
        if len(born) != 8 or born.endswith("00") or born[4:6] == "00" or born < cutoff or person.get("overlijden"):
            continue
        if client.person(person["burgerservicenummer"]) is None:
            continue
        youths.append((person["burgerservicenummer"], f"{born[:4]}-{born[4:6]}-{born[6:]}"))
    return people, youths, region.slug


class Scenario:
    def __init__(self, name: str, model: str, think: float):
        self.name = name
        self.model = model
        self.think = think
        self.latencies: list[float] = []
        self.errors = 0
        self.error_samples: list[str] = []
        self.lock = threading.Lock()
        self.elapsed = 0.0

    def record(self, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            if ok:
                self.latencies.append(seconds)
            else:
                self.errors += 1
                if len(self.error_samples) < 3:
                    self.error_samples.append(why)

    def row(self) -> dict:
        ms = [s * 1000 for s in self.latencies]
        return {
            "scenario": self.name,
            "model": self.model,
            "think": self.think,
            "requests": len(ms),
            "errors": self.errors,
            "per_second": len(ms) / self.elapsed if self.elapsed else 0.0,
            "p50": percentile(ms, 0.50),
            "p95": percentile(ms, 0.95),
            "p99": percentile(ms, 0.99),
            "mean": statistics.fmean(ms) if ms else float("nan"),
            "error_samples": self.error_samples,
        }


def run(args) -> list[dict]:
    import requests

    people, youths, slug = prepare(args.users)
    if len(people) < args.users:
        sys.exit(f"only {len(people)} professionals in the first region; generate more data")
    host_header = f"{slug}.localhost:{args.port}"

    def session_for(person) -> "requests.Session":
        session = requests.Session()
        session.cookies.set("sessionid", person["session"], domain=f"{slug}.localhost")
        session.headers["Host"] = host_header
        return session

    # requests resolves <slug>.localhost itself; talk to 127.0.0.1 with the region's Host header
    loopback = f"http://127.0.0.1:{args.port}"

    def get(session, path, scenario):
        started = time.perf_counter()
        try:
            response = session.get(loopback + path, allow_redirects=False, timeout=30)
            ok, why = response.status_code == 200, f"{path}: HTTP {response.status_code}"
        except requests.RequestException as error:
            ok, why = False, f"{path}: {type(error).__name__}"
        scenario.record(time.perf_counter() - started, ok, why)
        return ok

    def read_scenario(name: str, path_for, model: str, think: float):
        scenario = Scenario(name, model, think)
        stop_at = time.monotonic() + args.seconds
        budget = [args.max_requests]

        def worker(index):
            person = people[index]
            session = session_for(person)
            # with a think time the users start spread over it, as people do, not all in the same instant
            _pause(index * think / args.users, stop_at)
            while time.monotonic() < stop_at:
                with scenario.lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                get(session, path_for(person, index), scenario)
                _pause(think, stop_at)

        _threads(args.users, worker, scenario)
        return scenario

    # warm every worker process and the caches once, untimed
    warm = Scenario("warm-up", "", 0)
    for index in range(args.users):
        get(session_for(people[index]), "/", warm)
    counter = [0]

    def signal_path(person, index):
        counter[0] += 1
        return f"/signalen/{person['signals'][counter[0] % len(person['signals'])]}/"

    # placing: each virtual user works through its own professionals and the BRP youths, across both models
    from persons.bsn import bsn_pseudonym

    pseudonyms = {bsn: bsn_pseudonym(bsn) for bsn, _ in youths}

    def pairs_of(index):
        mine = people[index :: args.users]
        sessions = [(session_for(person), person) for person in mine]
        for bsn, born in youths:
            for session, person in sessions:
                if pseudonyms[bsn] not in person["placed"]:
                    yield session, bsn, born

    pairs = [pairs_of(index) for index in range(args.users)]

    def place_scenarios(model: str, think: float):
        place = Scenario("place signal (final POST)", model, think)
        flow = Scenario("place flow (5 steps)", model, think)
        stop_at = time.monotonic() + args.seconds
        budget = [args.max_requests]

        def placer(index):
            _pause(index * think / args.users, stop_at)
            for session, bsn, born in pairs[index]:
                if time.monotonic() >= stop_at:
                    return
                with place.lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                ok, seconds = _place_one(session, loopback, bsn, born, place, think, stop_at)
                flow.record(seconds, ok, "see the place signal row")
                _pause(think, stop_at)

        _threads(args.users, placer, place)
        flow.elapsed = place.elapsed
        return [place, flow]

    results = []
    models = [("closed loop", 0.0)] + ([("think time", args.think)] if args.think > 0 else [])
    for model, think in models:
        results.append(read_scenario("trivial page (GET /)", lambda person, i: "/", model, think))
        results.append(read_scenario("signal page", signal_path, model, think))
        results.append(read_scenario("my matches", lambda person, i: "/matches/", model, think))
        results.extend(place_scenarios(model, think))
    return [r.row() for r in results]


def _pause(seconds: float, stop_at: float) -> None:
    """A user's think time, cut short at the end of the scenario."""
    if seconds > 0:
        time.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))


def _place_one(session, base: str, bsn: str, born: str, place: "Scenario", think: float, stop_at: float):
    """The whole placing flow for one youth: (succeeded, seconds spent waiting for answers).

    With a think time the user pauses after each page before the next step; the pauses are not in the
    flow's time, which is the sum of the response times of its requests (a POST and its redirect count as one).
    """
    import requests

    waited = 0.0

    def timed(call, *args, **kwargs):
        nonlocal waited
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            waited += time.perf_counter() - started

    try:
        page = timed(session.get, f"{base}/signalen/nieuw/", timeout=30)
        token = CSRF.search(page.text).group(1)
        headers = {"Referer": f"http://{session.headers['Host']}/signalen/nieuw/"}
        _pause(think, stop_at)
        step = timed(
            session.post,
            f"{base}/signalen/nieuw/",
            data={"csrfmiddlewaretoken": token, "bsn": bsn, "birth_date": born},
            headers=headers,
            timeout=30,
        )
        if "/controleren/" not in step.url:  # prepare() left out the youths this professional holds a signal on
            place.record(0, False, f"step 1 refused: HTTP {step.status_code} {step.url}")
            return False, waited
        token = CSRF.search(step.text).group(1)
        _pause(think, stop_at)
        step = timed(session.post, step.url, data={"csrfmiddlewaretoken": token}, headers=headers, timeout=30)
        token = CSRF.search(step.text).group(1)
        _pause(think, stop_at)
        step = timed(
            session.post, step.url, data={"csrfmiddlewaretoken": token, "weighed": "on"}, headers=headers, timeout=30
        )
        token = CSRF.search(step.text).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "status": "informed",
            "whom": _whom(born),
            "on": datetime.date.today().isoformat(),
            "how": "gesprek",
        }
        _pause(think, stop_at)
        started = time.perf_counter()
        final = timed(session.post, step.url, data=data, headers=headers, allow_redirects=False, timeout=30)
        ok = final.status_code == 302 and "/afgegeven/" in final.headers.get("Location", "")
        place.record(time.perf_counter() - started, ok, f"final POST: HTTP {final.status_code} {final.url}")
        if ok:
            timed(session.get, base + final.headers["Location"], timeout=30)
        return ok, waited
    except (requests.RequestException, AttributeError) as error:
        place.record(0, False, f"{type(error).__name__}: {error}"[:200])
        return False, waited


def _whom(born: str) -> list[str]:
    """Whom the informing rules ask for at this age: parents under 12, both up to 16, the youth from 16."""
    day = datetime.date.fromisoformat(born)
    today = datetime.date.today()
    age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
    return ["parents"] if age < 12 else ["youth", "parents"] if age < 16 else ["youth"]


def _threads(count: int, target, scenario: Scenario) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    scenario.elapsed = time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--think",
        type=float,
        default=float(os.environ.get("BENCH_THINK", "1")),
        help="seconds each user waits after every answer in the second set of rows (0: closed loop only)",
    )
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--json", help="write the rows here as JSON")
    args = parser.parse_args()
    rows = run(args)
    for row in rows:
        label = "closed loop" if not row["think"] else f"think {row['think']:g} s"
        print(
            f"{label:<12} {row['scenario']:<28} {row['requests']:>6} req {row['errors']:>4} err "
            f"{row['per_second']:>7.1f}/s p50 {row['p50']:>7.1f} ms  p95 {row['p95']:>7.1f} ms  "
            f"p99 {row['p99']:>7.1f} ms",
            flush=True,
        )
        for sample in row["error_samples"]:
            print(f"    error: {sample}", file=sys.stderr, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

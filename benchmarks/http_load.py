"""HTTP load on the running stack: placing a signal, "My matches" and the signal page beside a trivial page.

A small load generator on loopback only, bounded in time and count per scenario: one process per
virtual user, each with requests.Session keeping its connection open. Each run first destroys the
signals earlier runs placed, so every run starts from the generated data alone. Each virtual user
is a professional of region 1 of the benchmark database, logged in with a verified second factor
(the session is created the way the login does it, so no password hashing or TOTP step is timed).
Scenarios run one after the other at the same number of users:

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
- `think time` (--think, BENCH_THINK, default 1 s): every user waits that long on average after each
  answer before the next request, drawn between 0.5 and 1.5 s (--think-jitter, BENCH_THINK_JITTER,
  default 0.5), like locust's `between(0.5, 1.5)`; users start spread over one think time.
  In the placing flow the user also pauses between the steps; the flow's time is the sum of its
  response times, without the pauses.

    python benchmarks/http_load.py --port 8123 --users 16 --seconds 15 [--think 1]
"""

import argparse
import datetime
import json
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.bench")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# the first message of a refused step (an error alert, or the message under a field)
REFUSAL = re.compile(r'(?:alert--error"[^>]*>|error[^"]*"[^>]*>)\s*(?:<p[^>]*>)?([^<]+)')


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def reset_placements() -> int:
    """Destroy the signals earlier runs placed, so every run starts from the generated data alone.

    The placing scenario only places on youths of the BRP test set (the generated youths have BSNs the
    embedded BRP does not know), so those signals are exactly the ones on youths the BRP test set holds.
    Without this, the load users would match each other more with every run and "My matches" would grow
    from run to run. Destroyed the way the application destroys a signal placed by mistake.
    """
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    from persons.bsn import bsn_pseudonym
    from signals.models import EndReason, Signal
    from signals.services import signals_destroy

    pseudonyms = [
        bsn_pseudonym(person["burgerservicenummer"]) for person in json.loads(Path(settings.BRP_TEST_DATA).read_text())
    ]
    placed = Signal.objects.filter(youth__pseudonym__in=pseudonyms)
    ids = list(placed.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        with transaction.atomic():
            batch = placed.filter(pk__any=ids[start : start + 1000]).select_for_update(of=("self",)).order_by("pk")
            signals_destroy(signals=list(batch), reason=EndReason.PLACED_WRONGLY)
    return len(ids)


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

    # youths the (embedded) BRP resolves: a valid BSN (the test set holds a few that fail the elfproef on purpose),
    # alive, full date of birth, under 23
    from persons.bsn import bsn_normalise
    from persons.exceptions import BsnInvalid

    def valid(bsn: str) -> bool:
        try:
            return bsn_normalise(bsn) == bsn
        except BsnInvalid:
            return False

    data = [person for person in json.loads(Path(settings.BRP_TEST_DATA).read_text())
            if valid(person["burgerservicenummer"])]  # fmt: skip
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
    """The answers of one scenario, gathered from the users' processes."""

    def __init__(self, name: str, model: str, think: float):
        self.name = name
        self.model = model
        self.think = think
        self.latencies: list[float] = []
        self.errors = 0
        self.error_samples: list[str] = []
        self.elapsed = 0.0

    def add(self, answers: list[tuple[float, bool, str]]) -> None:
        for seconds, ok, why in answers:
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
    print(f"signals of earlier runs destroyed: {reset_placements()}", flush=True)
    people, youths, slug = prepare(args.users)
    if len(people) < args.users:
        sys.exit(f"only {len(people)} professionals in the first region; generate more data")
    from django.db import connections

    from persons.bsn import bsn_pseudonym

    pseudonyms = {bsn: bsn_pseudonym(bsn) for bsn, _ in youths}
    connections.close_all()  # the users' processes are forked from this one and talk HTTP only
    users = Users(args, people, slug)

    def signal_path(person, index, turn):
        return f"/signalen/{person['signals'][(index + turn) % len(person['signals'])]}/"

    def warm(user, index, answers):
        """Every page once per user, untimed: each server process compiles a template on its first use."""
        for path in ("/", signal_path(user.person, index, 0), "/matches/", "/signalen/nieuw/"):
            user.get(path, answers)

    users.call(warm, think=0.0)

    # placing: each user works through its own professionals and the BRP youths, across both models; `done`
    # counts the pairs used up so far, so the second model goes on where the first stopped
    pairs = [
        _placements(people[index :: args.users], youths, pseudonyms, index, args.users) for index in range(args.users)
    ]
    done = [0] * args.users

    results = []
    models = [("closed loop", 0.0)] * args.closed_loop + ([("think time", args.think)] if args.think > 0 else [])
    for model, think in models:
        if not args.place_only:
            results.append(users.read("trivial page (GET /)", lambda person, index, turn: "/", model, think))
            results.append(users.read("signal page", signal_path, model, think))
            results.append(users.read("my matches", lambda person, index, turn: "/matches/", model, think))
        place = Scenario("place signal (final POST)", model, think)
        flow = Scenario("place flow (5 steps)", model, think)

        def placer(user, index, answers, think=think):
            used, flows = 0, []
            for number, bsn, born in pairs[index][done[index] :]:
                if user.over() or len(flows) >= user.budget:
                    break
                used += 1
                ok, seconds = _place_one(user.sessions[number], user.base, bsn, born, answers, think, user.stop_at)
                flows.append((seconds, ok, "see the place signal row"))
                _pause(think, user.stop_at)
            return used, flows

        outcomes, place.elapsed = users.call(placer, think=think)
        for index, (answers, result) in enumerate(outcomes):
            used, flows = result or (0, [])  # a user whose process failed: its error is among its answers
            place.add(answers)
            flow.add(flows)
            done[index] += used
        flow.elapsed = place.elapsed
        results.extend([place, flow])
    return [r.row() for r in results]


class Users:
    """The virtual users: one process each, forked per scenario, so no user waits for another's turn at a
    Python lock to send a request or to take the time of an answer (16 threads in one process would: the
    time a thread waits for the interpreter lock after its answer arrived would count as server time)."""

    def __init__(self, args, people: list[dict], slug: str):
        self.args = args
        self.people = people
        self.slug = slug

    def call(self, work, *, think: float) -> tuple[list, float]:
        """Run work(user, index, answers) in every user's process at once; returns [(answers, result)] and seconds.

        `answers` collects (seconds, ok, why) per timed request; with a think time the users start spread
        over it, as people do, not all in the same instant.
        """
        context = multiprocessing.get_context("fork")
        stop_at = time.monotonic() + self.args.seconds
        pipes, processes = [], []
        for index in range(self.args.users):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_user_main, args=(self, work, index, think, stop_at, sender), daemon=True)
            pipes.append(receiver)
            processes.append(process)
        started = time.monotonic()
        for process in processes:
            process.start()
        outcomes = [pipe.recv() for pipe in pipes]
        for process in processes:
            process.join()
        return outcomes, time.monotonic() - started

    def read(self, name: str, path_for, model: str, think: float) -> Scenario:
        scenario = Scenario(name, model, think)

        def reader(user, index, answers):
            turn = 0
            while not user.over() and turn < user.budget:
                user.get(path_for(user.person, index, turn), answers)
                turn += 1
                _pause(think, user.stop_at)

        outcomes, scenario.elapsed = self.call(reader, think=think)
        for answers, _ in outcomes:
            scenario.add(answers)
        return scenario


class User:
    """One virtual user inside its own process: a keep-alive HTTP session per professional it acts as."""

    def __init__(self, users: Users, index: int, stop_at: float):
        import requests

        self.requests = requests
        self.stop_at = stop_at
        self.budget = max(1, users.args.max_requests // users.args.users)
        self.person = users.people[index]
        # requests resolves <slug>.localhost itself; talk to 127.0.0.1 with the region's Host header
        self.base = f"http://127.0.0.1:{users.args.port}"
        self.sessions = []
        for person in users.people[index :: users.args.users]:
            session = requests.Session()
            session.cookies.set("sessionid", person["session"], domain=f"{users.slug}.localhost")
            session.headers["Host"] = f"{users.slug}.localhost:{users.args.port}"
            self.sessions.append(session)

    def over(self) -> bool:
        return time.monotonic() >= self.stop_at

    def get(self, path: str, answers: list) -> bool:
        started = time.perf_counter()
        try:
            response = self.sessions[0].get(self.base + path, allow_redirects=False, timeout=30)
            ok, why = response.status_code == 200, f"{path}: HTTP {response.status_code}"
        except self.requests.RequestException as error:
            ok, why = False, f"{path}: {type(error).__name__}"
        answers.append((time.perf_counter() - started, ok, why))
        return ok


def _user_main(users: Users, work, index: int, think: float, stop_at: float, pipe) -> None:
    user, answers = User(users, index, stop_at), []
    _random.seed(index)
    _pause(index * think / users.args.users, stop_at, exact=True)
    try:
        result = work(user, index, answers)
    except Exception as error:  # noqa: BLE001 - reported as an error row, the other users go on
        answers.append((0.0, False, f"{type(error).__name__}: {error}"[:200]))
        result = None
    pipe.send((answers, result))
    pipe.close()


def _placements(mine: list[dict], youths: list, pseudonyms: dict, index: int, users: int) -> list[tuple]:
    """What one virtual user places, in order: (which of its professionals, BSN, date of birth).

    Professionals work with different youths: each user starts at its own place in the list of BRP youths
    (user i at i/users of the way), and its professionals take turns, one per youth. Matches then arise as
    they do in practice, now and then: between siblings and people at one address in the BRP test set,
    and where two users' stretches of the list meet. (Had every user started at the first youth, every
    placement would have matched up to 15 fresh signals on the same child, and the worker would have
    spent the run sending the e-mails of those matches.)
    """
    start = index * len(youths) // users
    ordered = youths[start:] + youths[:start]
    return [
        (number, bsn, born)
        for turn in range(len(mine))
        for position, (bsn, born) in enumerate(ordered)
        for number in [(position + turn) % len(mine)]
        if pseudonyms[bsn] not in mine[number]["placed"]
    ]


# Think times are drawn uniformly from think x (1 - jitter) to think x (1 + jitter) (--think-jitter), like locust's
# between(). With a constant think time, users whose requests meet once are slowed alike and stay in step from
# then on, so the load arrives in ever larger bursts that people working independently do not make.
_jitter = [0.0]
_random = random.Random()  # noqa: S311 - think times, not secrets


def _pause(seconds: float, stop_at: float, *, exact: bool = False) -> None:
    """A user's think time, cut short at the end of the scenario."""
    if seconds > 0:
        if not exact:
            seconds = _random.uniform(seconds * (1 - _jitter[0]), seconds * (1 + _jitter[0]))
        time.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))


def _place_one(session, base: str, bsn: str, born: str, answers: list, think: float, stop_at: float):
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
            refusal = REFUSAL.search(step.text)
            why = " ".join(refusal.group(1).split()) if refusal else step.url
            answers.append((0.0, False, f"step 1 refused: HTTP {step.status_code}: {why}"))
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
        answers.append((time.perf_counter() - started, ok, f"final POST: HTTP {final.status_code} {final.url}"))
        if ok:
            timed(session.get, base + final.headers["Location"], timeout=30)
        return ok, waited
    except (requests.RequestException, AttributeError) as error:
        answers.append((0.0, False, f"{type(error).__name__}: {error}"[:200]))
        return False, waited


def _whom(born: str) -> list[str]:
    """Whom the informing rules ask for at this age: parents under 12, both up to 16, the youth from 16."""
    day = datetime.date.fromisoformat(born)
    today = datetime.date.today()
    age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
    return ["parents"] if age < 12 else ["youth", "parents"] if age < 16 else ["youth"]


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
    parser.add_argument(
        "--no-closed-loop", dest="closed_loop", action="store_false", help="only the rows with think time"
    )
    parser.add_argument(
        "--think-jitter",
        type=float,
        default=float(os.environ.get("BENCH_THINK_JITTER", "0.5")),
        help="think times are drawn between think x (1 - this) and think x (1 + this); 0: constant",
    )
    parser.add_argument("--place-only", action="store_true", help="only the placing rows")
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--json", help="write the rows here as JSON")
    args = parser.parse_args()
    _jitter[0] = min(max(args.think_jitter, 0.0), 1.0)
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

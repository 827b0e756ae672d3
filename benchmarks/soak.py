"""Soak and fault harness: the `make run` stack under load and faults, counted against the rules (issue 24).

Starts a stack of its own with the project's own commands (scripts/devservices.py for a fresh PostgreSQL and
Redis under a temporary folder, `manage.py migrate` and `load_demo`, scripts/run_dev.py for web, worker, beat
and the SMTP sink), on free ports of 127.0.0.1 only, and drives it through the API (one client per demo
organisation) in these scenarios, each bounded in time and count:

- `storm`: every client places at the same instant on the children of one family (one region);
- `kill`: a burst of placements that makes match e-mails, while the worker is killed three times;
- `pg`: placing while PostgreSQL is stopped for a few seconds (a 503 is retried with the same Idempotency-Key);
- `redis`: placing while Redis is stopped for a few seconds;
- `mixed`: --clients clients placing, ending and reading matches for --minutes minutes.

Then it waits for the sweeps and counts: every signal answered 201 is stored, every pair of signals sharing a
match key is linked once, every outbox row is delivered (by its Message-ID at the SMTP sink) and none twice
except in the documented window (one e-mail per kill of a worker process, and per database stop), and the HTTP
status codes (no 500). It prints the worker's memory (RSS of the worker and its pool) at the start and end of
the mixed load, and the machine's load.

    python benchmarks/soak.py --minutes 5 [--clients 8] [--scenarios storm,kill,pg,redis,mixed] [--keep]
"""

import argparse
import collections
import datetime
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email.parser import BytesHeaderParser
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
HOST = "127.0.0.1"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Stack:
    """PostgreSQL, Redis and `make run`'s children of its own, under a temporary folder."""

    def __init__(self, data: Path, tracemalloc: bool = False):
        self.data = data
        self.port, self.mail_port = free_port(), free_port()
        self.env = {
            **os.environ,
            "VI_DATA_DIR": str(data),
            "DEV_MAILBOX_DIR": str(data / "mail"),
            # the logbook's signed checkpoints of this stack's own database (a checkpoint of an earlier run's
            # database would make the sealer refuse this one's chain)
            "LOGBOOK_CHECKPOINT_DIR": str(data / "logbook-checkpoints"),
            "PORT": str(self.port),
            "MAIL_PORT": str(self.mail_port),
            "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.dev",
            # the harness is the only caller; the per-client limits would only measure themselves
            "API_THROTTLE_RATE": "100000/minute",
            "API_PLACE_THROTTLE_RATE": "100000/minute",
            # and the look-up limits against searching (docs/adr/0003): the clients place on the few test youths of
            # their region again and again, which would otherwise be refused (429) after 30 or 200 in an hour
            "BSN_LOOKUP_LIMIT_PER_HOUR": "100000",
            "BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION": "100000",
        }
        if tracemalloc:
            self.env["VI_TRACEMALLOC_DIR"] = str(data / "tracemalloc")
            self.env["VI_TRACEMALLOC_FRAMES"] = "8"
        for name in ("DATABASE_URL", "REDIS_URL"):
            self.env.pop(name, None)
        self.run_dev = None
        self.worker_pids: list[int] = []
        self.log = open(data / "run_dev.log", "w")  # noqa: SIM115 - open for the stack's life

    def services_up(self) -> None:
        out = subprocess.run(
            [PY, "scripts/devservices.py", "up"], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout
        for name, value in re.findall(r"export (\w+)='([^']*)'", out):
            self.env[name] = value
        for command in (["migrate", "--noinput"], ["load_demo"]):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def start(self) -> None:
        self.run_dev = subprocess.Popen(
            [PY, "scripts/run_dev.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url("/health/"), timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit("the stack did not answer /health/ in 120 s; see " + self.log.name)

    def _read(self) -> None:
        for line in self.run_dev.stdout:
            self.log.write(line)
            self.log.flush()
            found = re.search(r"\[run\] worker started \(pid (\d+)\)", line)
            if found:
                self.worker_pids.append(int(found.group(1)))

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def stop(self) -> None:
        if self.run_dev and self.run_dev.poll() is None:
            self.run_dev.send_signal(signal.SIGINT)  # Ctrl-C: run_dev stops its children and the servers
            try:
                self.run_dev.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.run_dev.pid, signal.SIGKILL)
        subprocess.run([PY, "scripts/devservices.py", "down"], cwd=ROOT, env=self.env, check=False)

    # faults, through the project's own server control
    def _devservices(self):
        os.environ["VI_DATA_DIR"] = str(self.data)
        import importlib.util

        spec = importlib.util.spec_from_file_location("devservices_soak", ROOT / "scripts" / "devservices.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def postgres_stop(self) -> None:
        services = self._devservices()
        subprocess.run(
            [services._pg_bin() / "pg_ctl", "-D", services.PG_DIR, "-m", "fast", "-w", "stop"],
            check=True,
            stdout=subprocess.DEVNULL,
            **services._as_pg_user(),
        )

    def postgres_start(self) -> None:
        self._devservices().postgres_up()

    def redis_stop(self) -> None:
        self._devservices().redis_down()

    def redis_start(self) -> None:
        self._devservices().redis_up()

    def worker_rss_mb(self) -> float:
        """RSS of the current worker process and its pool children, in MB."""
        pid = self.worker_pids[-1]
        pids = [pid]
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for each in pids:
            try:
                for line in Path(f"/proc/{each}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                pass
        return total / 1024


class World:
    """The demo data as the clients see it: organisations with a token and professionals, youths by family."""

    def __init__(self, env: dict):
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "VI_DATA_DIR")})
        import django

        django.setup()
        from django.conf import settings

        from accounts.models import Membership, Role
        from api.services import api_client_create
        from regions.models import Municipality, Organisation

        self.clients = []  # (region_id, token, [professional e-mails])
        self.organisation_of = {}  # token -> organisation id
        for organisation in Organisation.objects.filter(active=True).order_by("pk"):
            emails = sorted(
                Membership.objects.filter(organisation=organisation, role=Role.PROFESSIONAL, active=True).values_list(
                    "user__email", flat=True
                )
            )
            if emails:
                _client, token = api_client_create(organisation=organisation, name=f"soak {uuid.uuid4().hex[:6]}")
                self.clients.append((organisation.region_id, f"Bearer {token}", emails))
                self.organisation_of[f"Bearer {token}"] = organisation.pk
        served = dict(Municipality.objects.values_list("cbs_code", "region_id"))
        today = datetime.date.today()
        families = collections.defaultdict(list)
        for person in json.loads(Path(settings.BRP_TEST_DATA).read_text()):
            born = person.get("geboorte", {}).get("datum", "")
            region = served.get(person.get("gemeenteVanInschrijving", {}).get("code"))
            if len(born) != 8 or region is None or person.get("overlijden"):
                continue
            try:
                birth = datetime.date(int(born[:4]), int(born[4:6]), int(born[6:]))
            except ValueError:  # a partly unknown date of birth (00 for month or day) in the test set
                continue
            if not 1 <= (today - birth).days // 365 <= 16:
                continue
            parents = tuple(sorted(p.get("burgerservicenummer", "") for p in person.get("ouders", [])))
            families[(region, parents or (person["burgerservicenummer"],))].append(
                (person["burgerservicenummer"], birth.isoformat())
            )
        self.families = families
        self.youths_by_region = collections.defaultdict(list)
        for (region, _parents), youths in families.items():
            self.youths_by_region[region] += youths


class Caller:
    """Counts every answer by status code (and 'no answer'); retries a 503 with the same Idempotency-Key."""

    def __init__(self, stack: Stack, statuses: collections.Counter, lock: threading.Lock):
        self.stack, self.statuses, self.lock = stack, statuses, lock
        self.placed: list[int] = []  # ids answered 201
        self.destroyed: set[int] = set()  # ids ended as placed by mistake (destroyed, not archived)
        self.keys: dict[str, int] = {}

    def call(self, method: str, path: str, token: str, body=None, headers=None, retry_503: bool = False):
        for _attempt in range(30):
            try:
                response = requests.request(
                    method,
                    self.stack.url(path),
                    json=body,
                    headers={"Authorization": token, "Host": "api.localhost", **(headers or {})},
                    timeout=30,
                )
                status = response.status_code
            except requests.RequestException as error:
                response, status = None, f"no answer ({type(error).__name__})"
            with self.lock:
                self.statuses[status] += 1
            if status == 503 and response is not None and response.headers.get("Retry-After") is None:
                with self.lock:
                    self.statuses["503 without Retry-After"] += 1
            if retry_503 and (status == 503 or response is None):
                time.sleep(1)
                continue
            return response
        return None

    def place(self, token: str, email: str, bsn: str, birth: str):
        key = uuid.uuid4().hex
        body = {
            "professional_email": email,
            "bsn": bsn,
            "birth_date": birth,
            "informing": {
                "status": "informed",
                "whom": ["parents"],
                "on": datetime.date.today().isoformat(),
                "how": "gesprek",
            },
        }
        response = self.call("POST", "/api/v1/signals/", token, body, {"Idempotency-Key": key}, retry_503=True)
        if response is not None and response.status_code == 201:
            self.placed.append(response.json()["id"])
            self.keys[key] = response.json()["id"]
        return response


def run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def scenario_storm(stack, world, caller, clients: int) -> str:
    (region, _parents), youths = max(
        ((key, value) for key, value in world.families.items() if len(value) >= 2), key=lambda kv: len(kv[1])
    )
    own = [(token, email) for r, token, emails in world.clients if r == region for email in emails]
    barrier = threading.Barrier(clients)

    def place(index):
        # professional i % n on child i % m: no professional twice on one child, so the rules refuse none
        token, email = own[index % len(own)]
        bsn, birth = youths[index % len(youths)]
        barrier.wait()
        caller.place(token, email, bsn, birth)

    run_threads(clients, place)
    return f"{clients} clients at once on one family of {len(youths)} children"


def scenario_kill(stack, world, caller, clients: int) -> str:
    stop = threading.Event()

    def place(index):
        rng = random.Random(index)
        region, token, emails = world.clients[index % len(world.clients)]
        for _ in range(6):
            bsn, birth = rng.choice(world.youths_by_region[region])
            caller.place(token, rng.choice(emails), bsn, birth)

    def kill():
        for _ in range(3):
            time.sleep(2)
            pid = stack.worker_pids[-1]
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while stack.worker_pids[-1] == pid and time.monotonic() < deadline and not stop.is_set():
                time.sleep(0.2)

    killer = threading.Thread(target=kill)
    killer.start()
    run_threads(clients, place)
    killer.join()
    return "burst of placements; worker killed 3 times (SIGKILL), run_dev restarted it"


def _place_during(stack, world, caller, clients: int, fault_stop, fault_start, down_seconds: float) -> None:
    stop = threading.Event()

    def place(index):
        rng = random.Random(100 + index)
        region, token, emails = world.clients[index % len(world.clients)]
        while not stop.is_set():
            bsn, birth = rng.choice(world.youths_by_region[region])
            caller.place(token, rng.choice(emails), bsn, birth)

    threads = [threading.Thread(target=place, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    fault_stop()
    time.sleep(down_seconds)
    fault_start()
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join()


def scenario_pg(stack, world, caller, clients: int) -> str:
    _place_during(stack, world, caller, clients, stack.postgres_stop, stack.postgres_start, 3)
    return "PostgreSQL stopped for 3 s while placing; 503s retried with the same Idempotency-Key"


def scenario_redis(stack, world, caller, clients: int) -> str:
    _place_during(stack, world, caller, clients, stack.redis_stop, stack.redis_start, 10)
    return "Redis stopped for 10 s while placing"


def scenario_mixed(stack, world, caller, clients: int, minutes: float, memory: list) -> str:
    from django.db import connection

    from signals.models import Signal, SignalStatus

    connection.close()  # the harness's own connection died when the pg scenario stopped the server
    memory.append(("start of mixed load", stack.worker_rss_mb()))
    active = collections.defaultdict(list)
    for signal_id, organisation_id in Signal.objects.filter(status=SignalStatus.ACTIVE).values_list(
        "pk", "organisation_id"
    ):
        active[organisation_id].append(signal_id)
    deadline = time.monotonic() + minutes * 60
    requests_made = collections.Counter()

    def work(index):
        rng = random.Random(1000 + index)
        region, token, emails = world.clients[index % len(world.clients)]
        # the organisation's active signals (from the scenarios before), shared out over its clients
        sharing = [i for i in range(clients) if i % len(world.clients) == index % len(world.clients)]
        mine: list[int] = active[world.organisation_of[token]][sharing.index(index) :: len(sharing)]
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.35 or not mine:
                bsn, birth = rng.choice(world.youths_by_region[region])
                response = caller.place(token, rng.choice(emails), bsn, birth)
                if response is not None and response.status_code == 201:
                    mine.append(response.json()["id"])
                elif mine:  # refused (this professional has a signal on this youth): end one, as people do
                    roll = 0.5
                requests_made["place"] += 1
            if 0.35 <= roll < 0.55 and mine:
                signal_id = mine.pop(rng.randrange(len(mine)))
                reason = "placed_wrongly" if rng.random() < 0.2 else "concern_gone"
                ended = caller.call("POST", f"/api/v1/signals/{signal_id}/end/", token, {"reason": reason})
                if ended is not None and ended.status_code == 200 and ended.json().get("outcome") == "destroyed":
                    caller.destroyed.add(signal_id)  # placed by mistake: destroyed at once, as the rules say
                requests_made["end"] += 1
            elif roll >= 0.55 and mine:
                caller.call("GET", f"/api/v1/signals/{rng.choice(mine)}/matches/", token)
                requests_made["matches"] += 1
            time.sleep(rng.uniform(0.05, 0.3))

    sampler_stop = threading.Event()

    def sample_memory():
        minute = 0
        while not sampler_stop.wait(60):
            minute += 1
            memory.append((f"mixed load, {minute} min", stack.worker_rss_mb()))

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    started = time.monotonic()
    run_threads(clients, work)
    sampler_stop.set()
    elapsed = time.monotonic() - started
    memory.append(("end of mixed load", stack.worker_rss_mb()))
    total = sum(requests_made.values())
    return (
        f"{clients} clients for {minutes:g} min: {total} requests ({total / elapsed:.1f}/s; "
        + ", ".join(f"{k} {v}" for k, v in sorted(requests_made.items()))
        + ")"
    )


def drain(stack, seconds: int) -> bool:
    """Wait until every signal was detected and every outbox row sent (the sweeps run each minute)."""
    from notifications.models import Notification
    from signals.models import Signal

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            undetected = Signal.objects.filter(matched_at__isnull=True).count()
            unsent = Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True, held_for_digest=False)
            if undetected == 0 and not unsent.exists():
                return True
        except Exception:  # noqa: BLE001 - the harness's own connection may have died with a stopped server
            from django.db import connection

            connection.close()
        time.sleep(5)
    return False


def _unlinked_pairs() -> tuple[int, int]:
    """Pairs of stored signals that the matching rules (DESIGN.md, "Matches") link, without their link; and
    the number of links. The rules: a shared key of one kind (in any region), not the same professional, not
    two colleagues of one organisation unless its region reports internal matches, family and address only
    between different youths, no address on an institutional list."""
    from matching.detection import KEY_TO_MATCH_KIND
    from matching.models import MatchKey, MatchKeyKind, MatchLink
    from regions.models import InstitutionalAddress
    from signals.models import Signal

    institutional = set(InstitutionalAddress.objects.values_list("bag_pseudonym", flat=True))
    signals = {
        row["pk"]: row
        for row in Signal.objects.values(
            "pk", "professional_id", "organisation_id", "youth_id", "organisation__region__internal_matches_reported"
        )
    }
    by_key = collections.defaultdict(list)
    for signal_id, kind, value in MatchKey.objects.values_list("signal_id", "kind", "value"):
        if not (kind == MatchKeyKind.ADDRESS and value in institutional):
            by_key[(kind, value)].append(signal_id)
    wanted = set()
    for (kind, _value), ids in by_key.items():
        for index, x in enumerate(sorted(ids)):
            for y in sorted(ids)[index + 1 :]:
                a, b = signals[x], signals[y]
                if a["professional_id"] == b["professional_id"]:
                    continue
                if (
                    a["organisation_id"] == b["organisation_id"]
                    and not a["organisation__region__internal_matches_reported"]
                ):
                    continue
                match_kind = KEY_TO_MATCH_KIND[kind]
                if match_kind != "same_youth" and a["youth_id"] == b["youth_id"]:
                    continue
                wanted.add((x, y, str(match_kind)))
    existing = set(MatchLink.objects.values_list("signal_a_id", "signal_b_id", "kind"))
    return len(wanted - existing), len(existing)


def count(stack, caller) -> dict:
    from django.db import connection

    from notifications.models import Notification
    from notifications.services import notification_message_id
    from signals.models import Signal

    connection.close()
    stored = set(Signal.objects.filter(pk__in=caller.placed).values_list("pk", flat=True))
    unlinked, links = _unlinked_pairs()
    delivered = collections.Counter()
    parser = BytesHeaderParser()
    for path in (stack.data / "mail").glob("*.eml"):
        with path.open("rb") as handle:
            delivered[parser.parse(handle).get("Message-ID", "").strip()] += 1
    rows = list(Notification.objects.filter(held_for_digest=False))
    expected = {notification_message_id(row): row for row in rows if row.sent_at is not None}
    return {
        "signals answered 201": len(caller.placed),
        "signals destroyed by the clients (ended as placed by mistake)": len(caller.destroyed),
        "signals lost (201, not destroyed, but not stored)": len(set(caller.placed) - stored - caller.destroyed),
        "idempotency keys with more than one signal": len(caller.keys) - len(set(caller.keys.values())),
        "match links": links,
        "pairs sharing a key, not linked": unlinked,
        "outbox rows": len(rows),
        "outbox rows not sent after the sweeps": sum(1 for row in rows if row.sent_at is None),
        # why (the exception class of the last attempt, and attempts; the text is not printed)
        "unsent rows by last error": dict(
            collections.Counter(
                f"{(row.last_error or 'not tried').split(':')[0]}, {row.attempts} attempt(s)"
                for row in rows
                if row.sent_at is None
            )
        ),
        "outbox rows sent, no e-mail arrived": sum(1 for mid in expected if delivered[mid] == 0),
        "e-mails delivered": sum(delivered.values()),
        "e-mails delivered twice or more (extra copies)": sum(n - 1 for mid, n in delivered.items() if n > 1),
        "e-mails not from a sent outbox row": sum(n for mid, n in delivered.items() if mid not in expected),
    }


def server_log_counts(data: Path) -> dict:
    """Deadlocks in the PostgreSQL log of the run."""
    log = data / "postgres" / "server.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return {"deadlocks in the PostgreSQL log": text.count("deadlock detected")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5, help="length of the mixed load (max 30)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--scenarios", default="storm,kill,pg,redis,mixed")
    parser.add_argument("--drain-seconds", type=int, default=240)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, mail)")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="worker snapshots for benchmarks/worker_memory.py (implies --keep)"
    )
    args = parser.parse_args()
    args.minutes = min(args.minutes, 30)
    data = Path(tempfile.mkdtemp(prefix="vi-soak-"))
    args.keep = args.keep or args.tracemalloc
    stack = Stack(data, tracemalloc=args.tracemalloc)
    statuses_by_scenario = {}
    notes = {}
    memory = []
    load_before = os.getloadavg()
    try:
        stack.services_up()
        world = World(stack.env)
        stack.start()
        memory.append(("stack started", stack.worker_rss_mb()))
        lock = threading.Lock()
        caller = Caller(stack, collections.Counter(), lock)
        for name in args.scenarios.split(","):
            caller.statuses = collections.Counter()
            started = time.monotonic()
            if name == "mixed":
                notes[name] = scenario_mixed(stack, world, caller, args.clients, args.minutes, memory)
            else:
                notes[name] = globals()[f"scenario_{name}"](stack, world, caller, args.clients)
            notes[name] += f" [{time.monotonic() - started:.0f} s]"
            statuses_by_scenario[name] = dict(caller.statuses)
            print(f"[soak] {name}: {notes[name]}: {dict(sorted(caller.statuses.items(), key=str))}", flush=True)
        load_during = os.getloadavg()
        drained = drain(stack, args.drain_seconds)
        figures = count(stack, caller)
        figures.update(server_log_counts(data))
        memory.append(("after the sweeps", stack.worker_rss_mb()))
    finally:
        stack.stop()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        else:
            print(f"[soak] kept {data}", flush=True)
    kills = 3 if "kill" in args.scenarios else 0
    window = kills * 2 + (2 if "pg" in args.scenarios else 0)  # a worker has 2 pool processes
    print("\n| scenario | what | HTTP status codes |\n|---|---|---|")
    for name, statuses in statuses_by_scenario.items():
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items(), key=lambda kv: str(kv[0])))
        print(f"| {name} | {notes[name]} | {codes} |")
    print("\n| figure | count |\n|---|---|")
    for name, value in figures.items():
        print(f"| {name} | {value} |")
    print(f"| sweeps caught up within {args.drain_seconds} s | {'yes' if drained else 'NO'} |")
    print(f"| allowed extra copies (one per killed worker process, per database stop) | at most {window} |")
    total_500 = sum(s.get(500, 0) for s in statuses_by_scenario.values())
    print(f"| HTTP 500 in all scenarios | {total_500} |")
    print("\n| worker memory (RSS, worker + pool) | MB |\n|---|---|")
    for label, value in memory:
        print(f"| {label} | {value:.0f} |")
    print(
        f"\nmachine: {os.cpu_count()} cores, load average before {load_before[0]:.1f}, "
        f"at the end of the load {load_during[0]:.1f} (1 min)"
    )
    ok = (
        total_500 == 0
        and figures["signals lost (201, not destroyed, but not stored)"] == 0
        and figures["pairs sharing a key, not linked"] == 0
        and figures["outbox rows sent, no e-mail arrived"] == 0
        and figures["e-mails delivered twice or more (extra copies)"] <= window
        and drained
    )
    print("RESULT:", "ok" if ok else "NOT ok")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""`make bench`: national-scale data, HTTP load on the real stack, match detection and the life cycle at scale.

Steps (each printed as it runs; a table at the end, also written to benchmarks/results/):
1. a separate database `<DATABASE_URL name>_bench` on the same server, migrated to the project's schema;
2. benchmarks/national_data.py loads it with COPY (5,000,000 youths, 400,000 active and 1,000,000
   archived signals at BENCH_SCALE=1; BENCH_SCALE=0.01 is a quick smoke run). With
   BENCH_REUSE_DATA=1 the data of an earlier run at the same scale is kept (new migrations are applied);
3. the real stack on loopback: gunicorn (sync workers), a Celery worker and the SMTP sink with
   `verwijsindex.settings.bench`; benchmarks/http_load.py drives 16 users (BENCH_USERS) for
   BENCH_SECONDS per scenario, once as a closed loop without think time (saturation) and once with
   BENCH_THINK seconds of think time after every answer (16 people at work);
4. benchmarks/scale_ops.py: match detection for new signals among all stored ones, and the daily
   life-cycle run over all stored signals;
5. the logbook (benchmarks/logbook.py: single and concurrent writers, a bulk write of BENCH_LOGBOOK_ROWS,
   default 1,000,000 x BENCH_SCALE but at least 10,000, and the chain check) on `<name>_bench_logbook`;
6. the other engineers' benchmark scripts (benchmarks/lifecycle*.py, matching*.py, persons_*.py),
   each in its own process with a time limit (full runs only: BENCH_SCALE >= 1, or BENCH_OTHERS=1).

Environment: DATABASE_URL, REDIS_URL (as `make` sets them), BENCH_SCALE, BENCH_USERS,
BENCH_SECONDS, BENCH_THINK (seconds of think time in the second set of HTTP rows, default 1, on average:
BENCH_THINK_JITTER, default 0.5, draws each between 0.5 and 1.5 times it),
BENCH_GUNICORN_WORKERS / _CLASS / _THREADS, BENCH_WORKER_POOL, BENCH_WORKER_NICE (see start_stack),
BENCH_REUSE_DATA, BENCH_OTHERS, BENCH_OTHERS_TIMEOUT (seconds per script), BENCH_REDIS_DB (the
Redis db number of the stack, default 10; flushed at the start).
"""

import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PY = sys.executable
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
USERS = int(os.environ.get("BENCH_USERS", "16"))
THINK = float(os.environ.get("BENCH_THINK", "1"))
JITTER = float(os.environ.get("BENCH_THINK_JITTER", "0.5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
# the stack's cache and Celery broker; flushed before the run, so give each concurrent bench run its own
BENCH_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "10"))
OWN_SCRIPTS = {"run_all.py", "national_data.py", "http_load.py", "scale_ops.py"}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_kb / 1024 / 1024:.1f} GiB memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average at start "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_urls() -> tuple[str, str]:
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/") or "verwijsindex"
    database = urlunsplit(parts._replace(path=f"/{name}_bench"))
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rstrip("/").rsplit("/", 1)[0]
    return database, f"{redis_base}/{BENCH_REDIS_DB}"


def database_server(database: str) -> tuple[str, str]:
    """The PostgreSQL server's version and its durability settings, e.g. ('15.20', 'fsync=on, synchronous_commit=on').
    The project-local server runs with fsync=off; a production server (and the machine's own) with fsync=on."""
    import psycopg

    parts = urlsplit(database)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0].split()[0]
        fsync = connection.execute("SHOW fsync").fetchone()[0]
        commit = connection.execute("SHOW synchronous_commit").fetchone()[0]
    return version, f"fsync={fsync}, synchronous_commit={commit}"


def prepare_database(database: str, env: dict) -> float:
    """Create, migrate and fill the benchmark database; returns the seconds the data load took."""
    import psycopg

    parts = urlsplit(database)
    name = parts.path.lstrip("/")
    marker = ROOT / ".data" / f"bench-data-{name}.json"
    if os.environ.get("BENCH_REUSE_DATA") == "1" and marker.exists():
        if json.loads(marker.read_text()).get("scale") == SCALE:
            # migrations that landed since the data was loaded must reach the schema before the stack starts
            say(f"reusing the data in {name} (BENCH_SCALE={SCALE}); applying new migrations")
            subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
            return 0.0
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    say(f"migrating {name}")
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    say(f"loading national-scale data (BENCH_SCALE={SCALE})")
    started = time.monotonic()
    subprocess.run([PY, "benchmarks/national_data.py"], cwd=ROOT, env=env, check=True)
    seconds = time.monotonic() - started
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(json.dumps({"scale": SCALE, "seconds": seconds}))
    return seconds


def start_stack(env: dict, workdir: Path) -> tuple[dict, int]:
    port, smtp = free_port(), free_port()
    env = {**env, "BENCH_EMAIL_URL": f"smtp://127.0.0.1:{smtp}", "DEV_MAILBOX_DIR": str(workdir / "mail"),
           "SITE_PORT": str(port)}  # fmt: skip
    # As the production image runs them (Dockerfile, docker-compose.yml): gunicorn's sync workers, 2 x cores + 1
    # of them, and a prefork Celery worker with two processes. A thread per request in one process would make
    # every request wait for the interpreter lock while another thread renders a page, at each of its 15-20
    # round trips to the database. The worker and the mail sink run at a lower CPU priority (BENCH_WORKER_NICE),
    # as background work should on a machine it shares with the web server; production gives them containers.
    workers = os.environ.get("BENCH_GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
    worker_class = os.environ.get("BENCH_GUNICORN_CLASS", "sync")
    threads = os.environ.get("BENCH_GUNICORN_THREADS", "1")
    pool = os.environ.get("BENCH_WORKER_POOL", "prefork")
    nice = ["nice", "-n", os.environ.get("BENCH_WORKER_NICE", "10")]
    # the workers' heartbeat files in memory, as gunicorn advises for containers: a write to a disk-backed /tmp
    # can stall a worker between two requests
    memory = Path("/dev/shm")  # noqa: S108 - gunicorn's own advice; it creates its files there safely
    shm = ["--worker-tmp-dir", str(memory)] if memory.is_dir() else []
    commands = {
        "mail": [*nice, PY, "scripts/mailsink.py", str(smtp)],
        "web": [PY, "-m", "gunicorn", "verwijsindex.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--worker-class", worker_class, "--workers", workers, "--threads", threads, "--timeout", "60",
                "--keep-alive", "30", *shm],
        "worker": [*nice, PY, "-m", "celery", "-A", "verwijsindex", "worker", f"--pool={pool}", "--concurrency=2",
                   "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
    }  # fmt: skip
    processes = {}
    for name, command in commands.items():
        log = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/static/css/verwijsindex.css", timeout=2):  # noqa: S310
                return processes, port
        except (URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError((workdir / "web.log").read_text()[-3000:])


def stop_stack(processes: dict) -> None:
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def others(env: dict) -> list[tuple[str, str]]:
    """Run the other engineers' benchmark scripts; returns (script, last lines of output)."""
    scripts = sorted(
        p for p in (ROOT / "benchmarks").glob("*.py")
        if p.name not in OWN_SCRIPTS and p.name.startswith(("lifecycle", "matching", "persons_"))
    )  # fmt: skip
    if not scripts:
        return []
    if SCALE < 1 and os.environ.get("BENCH_OTHERS") != "1":
        return [(p.name, "not run in a smoke run (BENCH_SCALE < 1); BENCH_OTHERS=1 runs it") for p in scripts]
    timeout = int(os.environ.get("BENCH_OTHERS_TIMEOUT", "1800"))
    rows = []
    for script in scripts:
        say(f"running {script.name} (limit {timeout} s)")
        try:
            result = subprocess.run(
                [PY, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
            rows.append((script.name, tail if result.returncode == 0 else f"FAILED ({result.returncode}): {tail}"))
        except subprocess.TimeoutExpired:
            rows.append((script.name, f"stopped after {timeout} s"))
    return rows


def main() -> None:
    started = datetime.datetime.now(datetime.UTC)
    description = machine()
    say(description)
    database, redis_url = bench_urls()
    version, durability = database_server(database)
    description += f"; PostgreSQL {version} at {urlsplit(database).netloc.rsplit('@', 1)[-1]} with {durability}"
    say(f"database server: PostgreSQL {version}, {durability}")
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": redis_url,
           "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.bench", "BENCH_SCALE": str(SCALE)}  # fmt: skip
    load_seconds = prepare_database(database, env)

    import redis

    redis.Redis.from_url(redis_url).flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="vi-bench-"))
    processes, port = start_stack(env, workdir)
    http_json = workdir / "http.json"
    try:
        say(
            f"HTTP load: {USERS} users, {SECONDS:.0f} s per scenario, closed loop and think time {THINK:g} s,"
            f" on 127.0.0.1:{port}"
        )
        subprocess.run(
            [PY, "benchmarks/http_load.py", "--port", str(port), "--users", str(USERS), "--seconds", str(SECONDS),
             "--think", str(THINK), "--json", str(http_json)],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        http_load_average = os.getloadavg()  # the 1-minute figure covers the last scenarios
    finally:
        stop_stack(processes)
    http_rows = json.loads(http_json.read_text())

    say("match detection and the life cycle at scale")
    ops_json = workdir / "ops.json"
    subprocess.run([PY, "benchmarks/scale_ops.py", "--json", str(ops_json)], cwd=ROOT, env=env, check=True)
    ops = json.loads(ops_json.read_text())
    logbook_rows = int(os.environ.get("BENCH_LOGBOOK_ROWS", max(10_000, int(1_000_000 * SCALE))))
    say(f"the logbook ({logbook_rows} rows in bulk)")
    logbook = subprocess.run(
        [PY, "benchmarks/logbook.py", "--rows", str(logbook_rows)], cwd=ROOT, env={**os.environ}, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    ops["logbook"] = logbook.stdout.strip().splitlines()
    other_rows = others({**os.environ})

    report = render(started, description, load_seconds, http_rows, http_load_average, ops, other_rows)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    fsync = durability.split(",")[0].replace("=", "-")
    name = f"national-{fsync}.txt" if SCALE >= 1 else f"national-scale-{SCALE:g}-{fsync}.txt"
    (RESULTS / name).write_text(report)
    say(f"written to benchmarks/results/{name}")


def render(started, description, load_seconds, http_rows, http_load_average, ops, other_rows) -> str:
    lines = [
        f"Verwijsindex benchmark, {started:%Y-%m-%d %H:%M} UTC, BENCH_SCALE={SCALE:g} "
        f"({int(5_000_000 * SCALE):,} youths, {int(400_000 * SCALE):,} active and {int(1_000_000 * SCALE):,} "
        "archived signals)",
        f"Machine: {description}",
        f"Data load with COPY: {load_seconds:.0f} s" if load_seconds else "Data load: reused from an earlier run",
        "",
        f"HTTP on the real stack (gunicorn sync workers + Celery worker and SMTP sink at nice"
        f" {os.environ.get('BENCH_WORKER_NICE', '10')}), {USERS} users, {SECONDS:.0f} s per"
        " scenario, load generator on the same machine. req/s is the throughput over the scenario;"
        " a flow row counts whole flows.",
    ]
    titles = {
        "closed loop": f"A. Closed loop, no think time: each of the {USERS} users sends its next request as soon as"
        f" the answer arrives. The server is saturated; latency ~ {USERS} / throughput (capacity, not experience).",
        "think time": f"B. Think time: each of the {USERS} users waits {THINK:g} s on average after every answer,"
        f" drawn between {THINK * (1 - JITTER):g} and {THINK * (1 + JITTER):g} s (locust between), also between"
        " the steps of the placing flow (the flow time excludes the pauses).",
    }
    for model in dict.fromkeys(row.get("model", "closed loop") for row in http_rows):
        rows = [row for row in http_rows if row.get("model", "closed loop") == model]
        trivial = next((r for r in rows if r["scenario"].startswith("trivial")), None)
        lines += [
            "",
            titles.get(model, model),
            f"{'scenario':<28} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
            f" {'x trivial (p50)':>16}",
        ]
        for row in rows:
            ratio = row["p50"] / trivial["p50"] if trivial and trivial["p50"] else float("nan")
            lines.append(
                f"{row['scenario']:<28} {row['requests']:>8} {row['errors']:>6} {row['per_second']:>7.1f} "
                f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} {ratio:>16.1f}"
            )
    load = http_load_average
    lines.append(f"Load average at the end of the HTTP load: {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    detection = ops["detection"]
    lines += [
        "",
        f"Match detection among all stored signals ({detection['signals']} new signals placed with signal_place on"
        f" random stored youths; {detection['links_found']} links found):",
        f"  signal_place p50 {detection['place_p50']:.1f} ms, p95 {detection['place_p95']:.1f} ms;"
        f" match_detect p50 {detection['detect_p50']:.1f} ms, p95 {detection['detect_p95']:.1f} ms,"
        f" max {detection['detect_max']:.1f} ms",
        f"Daily life cycle over all stored signals (run_lifecycle --as-of {ops['lifecycle']['as_of']}):",
    ]
    for number, run in enumerate(ops["lifecycle"]["runs"], 1):
        outcome = "ok" if run["ok"] else "FAILED"
        lines.append(f"  run {number}: {run['seconds']:.1f} s ({outcome}) {run['output'].splitlines()[-1:]}")
    if ops.get("logbook"):
        lines += ["", "The logbook (benchmarks/logbook.py):", *(f"  {line}" for line in ops["logbook"])]
    lines += [
        "",
        "Targets (issue 10): place p95 < 150 ms at 16 users; page views p95 < 100 ms; place <= 4x the trivial page.",
    ]
    if other_rows:
        lines += ["", "Other benchmark scripts:"]
        for script, output in other_rows:
            lines.append(f"- {script}:")
            lines.extend(f"    {line}" for line in output.splitlines())
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

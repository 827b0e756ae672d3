"""Benchmark: how many youths per second `youth_by_bsn` resolves through the HTTP path.

Starts this project on localhost in a threaded WSGI server (Django's, as `runserver` uses, but with
Nagle's algorithm off: `runserver` sends headers and body in two writes and so waits ~40 ms per answer
for a delayed ACK; `--runserver` measures that instead) serving the embedded BRP endpoint, points the
Haal Centraal client at it and resolves the living test persons with `youth_by_bsn`: a first pass
creates the youths, a second refreshes them; then the same with several threads at once. Uses its own
database (`<database>_bench_persons`, migrated here). Figures are printed and written to
benchmarks/results/persons_youth_by_bsn.txt.

    . /tmp/<name>.env && .venv/bin/python benchmarks/persons_youth_by_bsn.py [--threads 4] [--runserver]
"""

import argparse
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.test")

from benchmarks.benchdb import bench_database_url, create_database  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> None:
    """Run as the server process: this project in Django's threaded WSGI server, Nagle off."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", port), Handler)
    server.set_app(WSGIHandler())
    server.serve_forever()


def start_server(port: int, env: dict, *, runserver: bool) -> subprocess.Popen:
    command = (
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        if runserver
        else [sys.executable, __file__, "--serve", str(port)]
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the dev server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--limit", type=int, default=0, help="resolve at most this many persons (0: all living)")
    parser.add_argument("--runserver", action="store_true", help="serve with `manage.py runserver` instead")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    url = bench_database_url("persons")
    create_database(url)
    os.environ["DATABASE_URL"] = url
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = start_server(port, env, runserver=args.runserver)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection

        from persons.brp import get_client
        from persons.brp.embedded import register_records
        from persons.exceptions import PersonLookupError
        from persons.models import Youth
        from persons.services import youth_by_bsn

        settings.BRP_CLIENT = "haal_centraal"
        settings.BRP_BASE_URL = f"http://127.0.0.1:{port}/brp-embedded"
        records = register_records(settings.BRP_TEST_DATA)
        bsns = [
            bsn
            for bsn, record in records.items()
            if "overlijden" not in record
            and ((record.get("opschortingBijhouding") or {}).get("reden") or {}).get("code") != "O"
        ]
        if args.limit:
            bsns = bsns[: args.limit]

        def resolve(bsn: str) -> bool:
            try:
                youth_by_bsn(bsn=bsn)
                return True
            except PersonLookupError:
                return False
            finally:
                if args.threads > 1:
                    connection.close()

        served_by = "manage.py runserver" if args.runserver else "threaded WSGI server, Nagle off"
        lines = [
            f"youth_by_bsn over HTTP (Haal Centraal client -> {served_by} -> embedded register): {len(bsns)} persons"
        ]

        def timed(label: str, threads: int) -> None:
            started = time.perf_counter()
            if threads == 1:
                ok = sum(resolve(bsn) for bsn in bsns)
            else:
                with ThreadPoolExecutor(threads) as pool:
                    ok = sum(pool.map(resolve, bsns))
            seconds = time.perf_counter() - started
            lines.append(
                f"{label:<34} {ok:>5} resolved in {seconds:6.2f} s = {ok / seconds:7.1f} youths/s "
                f"({seconds / max(ok, 1) * 1000:.1f} ms each)"
            )
            print(lines[-1], flush=True)

        print(lines[0], flush=True)
        client = get_client()
        started = time.perf_counter()
        for bsn in bsns:
            client.person(bsn)
        seconds = time.perf_counter() - started
        lines.append(f"{'the HTTP call alone (no database)':<34} {len(bsns) / seconds:7.1f} persons/s")
        print(lines[-1], flush=True)
        timed("1 thread, new youths", 1)
        timed("1 thread, refresh existing", 1)
        Youth.objects.all().delete()
        timed(f"{args.threads} threads, new youths", args.threads)
        timed(f"{args.threads} threads, refresh existing", args.threads)
        lines.append(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
        print(lines[-1])
        results = ROOT / "benchmarks" / "results"
        results.mkdir(exist_ok=True)
        (results / "persons_youth_by_bsn.txt").write_text("\n".join(lines) + "\n")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()

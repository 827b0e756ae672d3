"""Back up and restore the Verwijsindex database with pg_dump/pg_restore (custom format, whole schema).

    python scripts/backup.py dump    --database-url URL --output FILE
    python scripts/backup.py restore --database-url URL --input FILE   # into an EMPTY database

A whole-schema dump (not data-only) restores the logbook's triggers after its rows, so the hash chain
and the append-only rules come back as they were; `manage.py logbook_verify` checks it afterwards.
"""

import argparse
import os
import subprocess
import sys
from urllib.parse import urlsplit


def _tool(name: str) -> str:
    # PG_BIN: folder of pg_dump/pg_restore when those on PATH are older than the server (pg_dump refuses that)
    folder = os.environ.get("PG_BIN", "")
    return os.path.join(folder, name) if folder else name


def _pg_args(database_url: str) -> list[str]:
    # pg_dump and pg_restore take a connection URI as --dbname; the password, if any, stays in the URI
    url = urlsplit(database_url)
    if url.scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must be a postgres:// URL")
    return ["--dbname", database_url.replace("postgres://", "postgresql://", 1)]


def dump(database_url: str, output: str) -> None:
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", output, *_pg_args(database_url)], check=True
    )


def restore(database_url: str, source: str) -> None:
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", *_pg_args(database_url), source],
        check=True,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["dump", "restore"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--output")
    parser.add_argument("--input")
    args = parser.parse_args(argv)
    if args.action == "dump":
        dump(args.database_url, args.output or "verwijsindex.dump")
    else:
        if not args.input:
            parser.error("restore needs --input")
        restore(args.database_url, args.input)
    return 0


if __name__ == "__main__":
    sys.exit(main())

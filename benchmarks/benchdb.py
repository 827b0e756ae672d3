"""The benchmarks' own databases: one per benchmark and size, created empty, migrated, bulk-loaded with COPY.

Each benchmark works in `<database of DATABASE_URL>_bench_<name>_<size>` so it never touches the
database it was pointed at (nor another benchmark's), and drops it again when done.
"""

import os
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def bench_database_url(name: str, size: int | None = None) -> str:
    """DATABASE_URL with the database name `<name>_bench_<benchmark>_<size>` (without `_<size>` when None)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    database = parts.path.lstrip("/") or "verwijsindex"
    suffix = "" if size is None else f"_{size}"
    return urlunsplit(parts._replace(path=f"/{database}_bench_{name}{suffix}"))


def _admin(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def create_database(url: str) -> None:
    """An empty database at `url` (dropped first when it exists)."""
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    _admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def setup_django(url: str) -> None:
    """Point Django at the benchmark database and set it up (call once, before importing any model)."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY rows into the model's table. `columns` are field names or columns; every other column gets the
    model field's default, so a column another app adds later does not break the benchmark."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    names = [model._meta.get_field(column).column for column in columns]
    extra = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in names]
    defaults = [Jsonb(f.get_default()) if f.get_internal_type() == "JSONField" else f.get_default() for f in extra]
    sql = f"COPY {model._meta.db_table} ({', '.join(names + [f.column for f in extra])}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as stream:
        for row in rows:
            stream.write_row(list(row) + defaults)


def insert_select(model, columns: dict[str, str], source: str, params: dict | None = None) -> int:
    """INSERT INTO the model's table SELECT the given SQL expressions FROM `source`, all in the server.

    `columns` maps field names (or columns) to SQL expressions over `source` (e.g. a generate_series);
    every other column gets the model field's default as a parameter, as in `copy_rows`. Returns the row count.
    """
    from django.db import connection
    from psycopg.types.json import Jsonb

    names = [model._meta.get_field(column).column for column in columns]
    extra = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in names]
    params = dict(params or {})
    expressions = list(columns.values())
    for f in extra:
        params[f"default_{f.column}"] = (
            Jsonb(f.get_default()) if f.get_internal_type() == "JSONField" else f.get_default()
        )
        expressions.append(f"%(default_{f.column})s")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(names + [f.column for f in extra])}) "
        f"SELECT {', '.join(expressions)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@contextmanager
def indexes_built_after(*tables: str):
    """Drop the tables' secondary indexes and unique constraints while bulk-loading them, and build them again at
    the end (one sort per index instead of millions of insertions into it). The primary keys stay."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)

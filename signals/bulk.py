"""Work on many rows by id in a fixed number of statements: selecting them, and deleting them as `on_delete` asks.

Django's `QuerySet.delete()` loads every row as a model instance and deletes in chunks of a hundred;
the life cycle destroys up to a hundred thousand signals a night, so it deletes by id array here.
A reference this module cannot follow in SQL (SET(), SET_DEFAULT, a many-to-many, a delete receiver)
sends the rows through Django's collector instead: slower, never wrong.
"""

from django.db import connection
from django.db.models import CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET_NULL, Field, Lookup, ProtectedError
from django.db.models.fields.related import ForeignObject
from django.db.models.signals import post_delete, pre_delete


class AnyOf(Lookup):
    """`pk__any=ids`: `= ANY(array)`, the ids as one parameter where `pk__in` sends a thousand.

    Unlike `IN (subquery)` it lets PostgreSQL combine two of them under OR with a bitmap of index scans.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [sorted(set(value))]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys do not inherit the lookups of Field


def _references(model) -> list:
    """The foreign keys and one-to-ones (of other models) that point at `model`."""
    return [
        relation.field
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
    ]


def _has_receivers(model) -> bool:
    return pre_delete.has_listeners(model) or post_delete.has_listeners(model)


def _in_sql(model) -> bool:
    """Whether every reference to `model` can be followed with one statement of its own."""
    if _has_receivers(model) or any(field.many_to_many for field in model._meta.get_fields(include_hidden=True)):
        return False
    for field in _references(model):
        if field.target_field != model._meta.pk:
            return False
        on_delete = field.remote_field.on_delete
        if on_delete in (SET_NULL, PROTECT, RESTRICT, DO_NOTHING):
            continue
        if on_delete is CASCADE and field.model is not model and _in_sql(field.model):
            continue
        return False
    return True


def rows_delete(model, ids, *, returning: tuple[str, ...] = ()) -> list[tuple]:
    """Delete the rows of `model` with these ids that no PROTECT or RESTRICT reference holds on to.

    Runs in the caller's transaction: the rows are locked, cascades deleted and SET_NULL references
    cleared first. Returns, per deleted row in id order, its id followed by the `returning` columns.
    """
    ids = sorted(set(ids))
    if not ids:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    fields = _references(model)
    kept = [
        f"NOT EXISTS (SELECT 1 FROM {field.model._meta.db_table} AS r WHERE r.{field.column} = t.{pk})"  # noqa: S608
        for field in fields
        if field.remote_field.on_delete in (PROTECT, RESTRICT)
    ]
    columns = ", ".join([f"t.{pk}", *(f"t.{model._meta.get_field(name).column}" for name in returning)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} AS t WHERE t.{pk} = ANY(%s) {''.join(' AND ' + k for k in kept)}"  # noqa: S608
            f" ORDER BY t.{pk} FOR UPDATE OF t",
            [ids],
        )
        rows = cursor.fetchall()
        doomed = [row[0] for row in rows]
        if not doomed:
            return []
        if not _in_sql(model):
            model._base_manager.filter(pk__in=doomed).delete()
            return rows
        for field in fields:
            on_delete, related = field.remote_field.on_delete, field.model._meta.db_table
            if on_delete is CASCADE and _references(field.model):
                # rows that are themselves referred to: their references first, the same way
                cursor.execute(
                    f"SELECT {field.model._meta.pk.column} FROM {related} WHERE {field.column} = ANY(%s)",  # noqa: S608
                    [doomed],
                )
                children = [row[0] for row in cursor.fetchall()]
                if len(rows_delete(field.model, children)) != len(children):
                    raise ProtectedError(f"{field.model._meta.label} rows are protected", set())
            elif on_delete is CASCADE:
                cursor.execute(f"DELETE FROM {related} WHERE {field.column} = ANY(%s)", [doomed])  # noqa: S608
            elif on_delete is SET_NULL:
                cursor.execute(
                    f"UPDATE {related} SET {field.column} = NULL WHERE {field.column} = ANY(%s)",  # noqa: S608
                    [doomed],
                )
        cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [doomed])  # noqa: S608
    return rows

"""A yes/no ORM query (or a list of model rows) whose SQL is compiled once per process.

Nested `Exists` conditions (the tracker's "may this user use the tracker?", asked on every tracker
page) cost the ORM several milliseconds to build and compile on every request, though their SQL
never changes: only the values in it do. `exists_compiled(name, build, **values)` calls
`build(**placeholders)` once per process and database, with an unlikely placeholder for each value
(an int or a date), compiles it with the ORM exactly as `QuerySet.exists()` does, and notes where
each placeholder sits among the SQL parameters. Each call then runs that SQL with the real values.

It falls back to `build(**values).exists()` every time when a placeholder does not appear as a
parameter, for a value of another type than int or date, or with the `fetch` piece off
(`CACHING_OFF`, see switches.py). The placeholders are values no real row or day has (a negative
id, a day in 1901), so no constant of a query is mistaken for one.

`rows_compiled(name, build, **values)` does the same for `list(build(**values))`: model rows with
`select_related` and annotations (the learner dashboard's teams with the access check), filled from
the rows as `ModelIterable` fills them, with the columns and models the ORM worked out at compile
time; a queryset with `values()`, prefetches or known related objects is left to the ORM.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

from .switches import off

_INT, _DAY = -7_301_011, datetime.date(1901, 2, 3)
_SQL: dict[str, tuple[str, str, list] | None] = {}


def _placeholders(values: dict) -> dict | None:
    out = {}
    for number, (name, value) in enumerate(sorted(values.items())):
        if isinstance(value, datetime.datetime) or not isinstance(value, int | datetime.date):
            return None
        out[name] = _INT - number if isinstance(value, int) else _DAY + datetime.timedelta(days=number)
    return out


def _adapt(connection, value):
    """A value as the ORM hands it to the driver (SQLite takes dates as text)."""
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _compile(build: Callable[..., QuerySet], placeholders: dict) -> tuple[str, str, list] | None:
    queryset = build(**placeholders)
    connection = connections[queryset.db]
    sql, params = queryset.query.exists().get_compiler(queryset.db).as_sql()
    where = {_adapt(connection, value): key for key, value in placeholders.items()}
    slots = [("value", where[p]) if p in where else ("constant", p) for p in params]
    if {key for kind, key in slots if kind == "value"} != set(placeholders) or sql.count("%s") != len(params):
        return None
    return queryset.db, sql, slots


def exists_compiled(name: str, build: Callable[..., QuerySet], **values) -> bool:
    """`build(**values).exists()`, with the SQL compiled once per process (see the module)."""
    placeholders = _placeholders(values)
    if placeholders is None or off("fetch"):
        return build(**values).exists()
    if name not in _SQL:
        _SQL[name] = _compile(build, placeholders)
    compiled = _SQL[name]
    if compiled is None:
        return build(**values).exists()
    alias, sql, slots = compiled
    connection = connections[alias]
    params = [_adapt(connection, values[key]) if kind == "value" else key for kind, key in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _compile_rows(build: Callable[..., QuerySet], placeholders: dict):
    """The SQL of `list(build(**placeholders))` and what the ORM learnt compiling it (the selected
    columns, the models to fill, the annotations' columns), or None (see `_compile`)."""
    queryset = build(**placeholders)
    connection = connections[queryset.db]
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    where = {_adapt(connection, value): key for key, value in placeholders.items()}
    slots = [("value", where[p]) if p in where else ("constant", p) for p in params]
    if {key for kind, key in slots if kind == "value"} != set(placeholders) or sql.count("%s") != len(params):
        return None
    if queryset._known_related_objects or queryset._prefetch_related_lookups or queryset._fields is not None:
        return None  # only plain model rows (with select_related and annotations) are replayed
    shape = (compiler.select, compiler.klass_info, compiler.annotation_col_map, compiler.col_count)
    return queryset.db, sql, slots, queryset.query, shape


def rows_compiled(name: str, build: Callable[..., QuerySet], **values) -> list:
    """`list(build(**values))` for a queryset of model rows (select_related and annotations
    allowed), with its SQL compiled once per process: the rows are filled as `ModelIterable` fills
    them. Same fallbacks as `exists_compiled`."""
    placeholders = _placeholders(values)
    if placeholders is None or off("fetch"):
        return list(build(**values))
    key = f"rows:{name}"
    if key not in _SQL:
        _SQL[key] = _compile_rows(build, placeholders)
    compiled = _SQL[key]
    if compiled is None:
        return list(build(**values))
    alias, sql, slots, query, (select, klass_info, annotation_col_map, col_count) = compiled
    connection = connections[alias]
    params = [_adapt(connection, values[k]) if kind == "value" else k for kind, k in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    compiler = query.get_compiler(alias)  # this thread's connection; the shape learnt at compile time
    compiler.select, compiler.klass_info = select, klass_info
    compiler.annotation_col_map, compiler.col_count = annotation_col_map, col_count
    model_cls, select_fields = klass_info["model"], klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    rows = []
    for row in compiler.results_iter([fetched]):
        obj = model_cls.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for attr_name, position in (annotation_col_map or {}).items():
            setattr(obj, attr_name, row[position])
        rows.append(obj)
    return rows

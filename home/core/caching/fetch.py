"""Fetch one row by primary key without compiling the ORM query on every request.

`Model.objects.get(pk=...)` builds and compiles its SQL each time; for a Wagtail page (two joined
tables, forty columns) that is most of a millisecond, paid on every page view for the page itself
and again for the logged-in user. Here the SQL is compiled once per model and process by the ORM
itself and then run through `Model.objects.raw()`, which still builds a full model instance with
every field converted as usual (StreamField included). A caller may give its own queryset (e.g.
with an annotation, as the user load asks "is this the coach?" in the same query); the annotation
arrives as a plain attribute, unconverted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

from .switches import off

_SQL: dict[tuple, tuple[str, tuple] | None] = {}


def _sql_for(model, name: str, queryset: Callable[[], QuerySet] | None) -> tuple[str, tuple] | None:
    key = (model, name)
    if key not in _SQL:
        sql, params = (queryset() if queryset else model._default_manager).filter(pk=0).query.sql_with_params()
        # Only the shape "... WHERE pk = %s" with the primary key as the last parameter: anything
        # else (a manager that filters on a number, another shape) goes through the ORM every time.
        params = tuple(params)
        plain = params[-1:] == (0,) and 0 not in params[:-1] and sql.count("%s") == len(params)
        _SQL[key] = (sql, params[:-1]) if plain else None
    return _SQL[key]


def by_pk(model, pk, *, name: str = "", queryset: Callable[[], QuerySet] | None = None):
    """The instance of `model` with primary key `pk`, or None: through its default manager's SQL,
    or through `queryset()` (called once per process, its SQL kept under `name`)."""
    compiled = _sql_for(model, name, queryset)
    if compiled is None or off("fetch") or connection.vendor not in ("postgresql", "sqlite"):
        return (queryset() if queryset else model._default_manager).filter(pk=pk).first()
    sql, params = compiled
    return next(iter(model._default_manager.raw(sql, [*params, pk])), None)

"""Fetch one row by primary key without compiling the ORM query on every request.

`Model.objects.get(pk=...)` builds and compiles its SQL each time; for a Wagtail page (two joined
tables, forty columns) that is most of a millisecond, paid on every page view for the page itself
and again for the logged-in user. Here the SQL is compiled once per model and process by the ORM
itself and then run through `Model.objects.raw()`, which still builds a full model instance with
every field converted as usual (StreamField included).
"""

from __future__ import annotations

from django.db import connection

_SQL: dict[type, str | None] = {}


def _sql_for(model) -> str | None:
    if model not in _SQL:
        sql, params = model._default_manager.filter(pk=0).query.sql_with_params()
        # Only the plain shape "... WHERE pk = %s": anything else (a manager that filters, another
        # parameter) goes through the ORM every time.
        _SQL[model] = sql if tuple(params) == (0,) and sql.count("%s") == 1 else None
    return _SQL[model]


def by_pk(model, pk):
    """The instance of `model` (through its default manager's SQL) with primary key `pk`, or None."""
    sql = _sql_for(model)
    if sql is None or connection.vendor not in ("postgresql", "sqlite"):
        return model._default_manager.filter(pk=pk).first()
    return next(iter(model._default_manager.raw(sql, [pk])), None)

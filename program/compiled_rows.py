"""A user's rows of one model, with the ORM query's SQL compiled once per process.

The dashboard's certificate and billing panels ask the same query on every visit with only the
user's id changing; building and compiling it costs the ORM more than running it. `user_rows`
builds the queryset once with an unlikely id, compiles it, and runs the SQL through
`Model.objects.raw()` (full instances, every field converted as usual; annotations arrive as plain
attributes). A queryset whose SQL does not carry the id exactly once as a parameter, or another
database than PostgreSQL or SQLite, goes through the ORM every time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

from home.core.caching.switches import off

_PLACEHOLDER = -7_301_999
_SQL: dict[str, tuple[QuerySet, str, tuple] | None] = {}


def _compiled(name: str, build: Callable[[int], QuerySet]) -> tuple[QuerySet, str, tuple] | None:
    if name not in _SQL:
        queryset = build(_PLACEHOLDER)
        sql, params = queryset.query.sql_with_params()
        params = tuple(params)
        ok = params.count(_PLACEHOLDER) == 1 and sql.count("%s") == len(params)
        _SQL[name] = (queryset, sql, params) if ok else None
    return _SQL[name]


def user_rows(name: str, build: Callable[[int], QuerySet], *, user_id: int) -> list:
    """`list(build(user_id))`, with its SQL compiled once per process under `name`."""
    compiled = _compiled(name, build)
    if compiled is None or off("fetch") or connection.vendor not in ("postgresql", "sqlite"):
        return list(build(user_id))
    queryset, sql, params = compiled
    values = [user_id if value == _PLACEHOLDER else value for value in params]
    return list(queryset.model._default_manager.raw(sql, values))

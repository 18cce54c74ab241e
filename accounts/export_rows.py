"""Many tables in one query, for the data export: a UNION ALL of one JSON object per row.

The download must stay within the query budget of any page, however many apps contribute and
however much a user has, so each app fetches all of its sections with `rows_in_one_query`.
"""

import datetime
import json
import uuid
from decimal import Decimal

from django.db import connection, models
from django.db.models import F, Func, Value
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime

Section = tuple[models.QuerySet, dict[str, str], tuple[str, ...]]


def all_fields(model, *, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """{attname: attname} for every concrete column of `model` but `exclude`."""
    return {f.attname: f.attname for f in model._meta.concrete_fields if f.name not in exclude}


def _field_at(model, path: str) -> models.Field:
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def _expression(model, path: str):
    field = _field_at(model, path)
    if isinstance(field, models.JSONField) and connection.vendor == "sqlite":
        return Func(F(path), function="JSON", output_field=models.JSONField())  # else it nests as a string
    return F(path)


def _decode(field: models.Field, value):
    """Undo what JSON did to a column's type (dates and decimals as text or numbers, booleans as 0/1)."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value) if isinstance(value, str) else value
        return parsed.replace(tzinfo=datetime.UTC) if parsed and parsed.tzinfo is None else parsed
    if isinstance(field, models.DateField):
        return parse_date(value) if isinstance(value, str) else value
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.DecimalField):
        return Decimal(str(value))
    if isinstance(field, models.UUIDField):
        return uuid.UUID(str(value))
    return value


def _sort_key(keys: tuple[str, ...]):
    return lambda row: tuple((row[k] is None, row[k]) for k in keys)


def rows_in_one_query(sections: dict[str, Section]) -> dict[str, list[dict]]:
    """Rows of several querysets in ONE query.

    `sections` maps a name to (queryset, {output key: field path}, sort keys). Returns {name: [row]}
    where each row is a dict like `.values()` gives (aware datetimes, dates, decimals, booleans,
    JSON), sorted in Python by the sort keys (null last). Every name is present, maybe empty."""
    result: dict[str, list[dict]] = {name: [] for name in sections}
    if not sections:
        return result
    fields = {name: {k: _field_at(qs.model, p) for k, p in spec.items()} for name, (qs, spec, _) in sections.items()}
    parts = [
        qs.order_by()
        .annotate(
            export_section=Value(name, output_field=models.CharField()),
            export_row=JSONObject(**{k: _expression(qs.model, p) for k, p in spec.items()}),
        )
        .values_list("export_section", "export_row")
        for name, (qs, spec, _) in sections.items()
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for name, row in combined:
        if isinstance(row, str):
            row = json.loads(row)
        result[name].append({k: _decode(fields[name][k], v) for k, v in row.items()})
    for name, (_, _, order) in sections.items():
        result[name].sort(key=_sort_key(order))
    return result

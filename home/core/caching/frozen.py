"""Model instances kept as primitives, made into a fresh instance for each request.

A kept instance is never handed out: Wagtail and Django write to the instances they are given (a
StreamValue fills its block cache, `BaseSiteSetting.for_request` sets `_request`, a foreign key
fills its cache), so one shared object would carry one request's state into another. `freeze` keeps
only immutable values (strings, numbers, dates, UUIDs; a StreamField or JSONField as its JSON
text) and `thaw` builds a new instance from them, as the ORM would from a row (`Model.from_db`),
for a few microseconds and no query. With `related`, cached foreign keys (e.g. a Site's root page)
are frozen and thawed too.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField, JSONField
from wagtail.fields import StreamField

IMMUTABLE = (str, int, float, bool, bytes, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)
STREAM, JSON = "stream", "json"


class Frozen(NamedTuple):
    model: type
    db: str
    values: tuple  # one per concrete field, in order: a value, or (STREAM | JSON, json text)
    related: tuple  # (field name, Frozen) for each related object frozen along
    extras: tuple  # (attribute, immutable value) set on each thawed instance


def freeze(instance, *, related: tuple[str, ...] = (), extras: dict | None = None) -> Frozen:
    values = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if value is None or isinstance(value, IMMUTABLE):
            values.append(value)
        elif isinstance(field, FileField):
            values.append(value.name or "")
        elif isinstance(field, StreamField):
            values.append((STREAM, json.dumps(value.get_prep_value(), cls=DjangoJSONEncoder)))
        elif isinstance(field, JSONField):
            values.append((JSON, json.dumps(value, cls=field.encoder or DjangoJSONEncoder)))
        else:
            raise TypeError(f"{type(instance).__name__}.{field.attname} holds a mutable {type(value).__name__}")
    kept = tuple((name, freeze(getattr(instance, name))) for name in related if getattr(instance, name) is not None)
    for _, value in (extras or {}).items():
        if value is not None and not isinstance(value, IMMUTABLE):
            raise TypeError("extras must be immutable")
    return Frozen(type(instance), instance._state.db or "default", tuple(values), kept, tuple((extras or {}).items()))


def thaw(frozen: Frozen):
    """A new instance, as if just read from the database: nothing in it is shared with another."""
    model = frozen.model
    values = []
    for field, value in zip(model._meta.concrete_fields, frozen.values, strict=True):
        if type(value) is tuple:
            kind, text = value
            value = field.to_python(text) if kind == STREAM else json.loads(text, cls=field.decoder)
        values.append(value)
    instance = model.from_db(frozen.db, [f.attname for f in model._meta.concrete_fields], values)
    for name, related in frozen.related:
        setattr(instance, name, thaw(related))
    for name, value in frozen.extras:
        setattr(instance, name, value)
    return instance

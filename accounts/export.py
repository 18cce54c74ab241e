""" "Download my data": every app contributes its own section of the export.

An app calls `register_exporter(key, fn)` in its AppConfig.ready(); `fn(user)` returns a
JSON-serialisable dict of that user's own data. `user_data_export(user=...)` collects them all.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

Exporter = Callable[[Any], dict]

_exporters: dict[str, Exporter] = {}


def register_exporter(key: str, fn: Exporter) -> None:
    """Add (or replace) the section `key` of every user's data export."""
    _exporters[key] = fn


def exporter_keys() -> list[str]:
    return sorted(_exporters)


def user_data_export(*, user) -> dict:
    """Everything we hold about `user`, one section per registered app, and nothing about anyone else."""
    return {
        "exported_at": timezone.now().isoformat(),
        "format": "huddle-data-export/1",
        **{key: _exporters[key](user) for key in exporter_keys()},
    }


def plain(value: Any) -> Any:
    """`value` as plain JSON types (dates, decimals and UUIDs become strings), as the download holds it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def own_email_q(user, field: str = "email") -> Q:
    """Rows whose `field` holds one of the account's VERIFIED addresses (any case). Only a confirmed
    address proves that the data recorded under it is this person's: the account email itself may
    be unconfirmed (anyone can sign up with someone else's address), and then it claims nothing.
    An EXISTS subquery, so it costs no query of its own. Other apps match rows by it when those
    rows were made before, or without, logging in."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True, email__iexact=OuterRef(field))
    return Q(Exists(verified))


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def profile_export(user) -> dict:
    """The account's own section: profile fields and email addresses."""
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "full_name": user.full_name,
        "company": user.company,
        "job_title": user.job_title,
        "time_zone": user.time_zone,
        "share_consistency_with_coach": user.share_consistency_with_coach,
        "share_rhythm_with_company": user.share_rhythm_with_company,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }

"""Privacy for the program app: the learner's and buyer's records in "download my data", and what
deleting the account does here.

The "program" section of the export holds the enrollments (with their audit events) and the parts
the nested apps add with `register_export_part` in their AppConfig.ready() (payments, seat
purchases, certificates, webinar registrations), all read in one query. Each nested app also
answers `account_deleting` itself (see its privacy module). Enrollments cascade with the user.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from accounts.export import plain, register_exporter
from accounts.export_rows import rows_in_one_query

from .models import Enrollment, EnrollmentEvent

DELETED_REASON = "account deleted"
DELETED_NAME = "Deleted account"
ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves, so nothing can be sent there


@dataclass(frozen=True)
class ExportPart:
    """Rows a nested app adds to the "program" section of a user's data export.

    `sections(user)` returns {name: (queryset, {output key: field path}, sort keys)} as
    `rows_in_one_query` takes them; `finish(rows)` may reshape those rows in place (e.g. nest
    child rows under their parent and drop the child list)."""

    sections: Callable[[object], dict]
    finish: Callable[[dict], None] | None = None


_export_parts: list[ExportPart] = []


def register_export_part(part: ExportPart) -> None:
    """Add a part to the "program" section; called once from a nested app's AppConfig.ready()."""
    _export_parts.append(part)


def erased_email(prefix: str):
    """A unique, non-identifying address per row, built in the UPDATE itself."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}"))


def export_columns(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def _enrollment_sections(user) -> dict:
    return {
        "enrollments": (
            Enrollment.objects.filter(user=user),
            {
                **export_columns("id", "status", "source", "reason", "enrolled_at", "revoked_at", "completed_at"),
                "program": "program__title",
            },
            ("enrolled_at", "id"),
        ),
        "events": (
            EnrollmentEvent.objects.filter(enrollment__user=user),
            export_columns("id", "enrollment_id", "action", "source", "reason", "created_at"),
            ("created_at", "id"),
        ),
    }


def program_export(user) -> dict:
    """Enrollments with their audit events, what the nested apps add (payments without card or
    Stripe ids, seat purchases with the invitations sent, certificates) and webinar registrations
    (by user or by the user's addresses). One query, however much there is."""
    sections = _enrollment_sections(user)
    for part in _export_parts:
        sections.update(part.sections(user))
    rows = rows_in_one_query(sections)
    events = defaultdict(list)
    for event in rows.pop("events"):
        events[event.pop("enrollment_id")].append(event)
    for enrollment in rows["enrollments"]:
        enrollment["events"] = events[enrollment["id"]]
    for part in _export_parts:
        if part.finish is not None:
            part.finish(rows)
    return plain(rows)


# Registered on import: the AppConfig imports this module in ready().
register_exporter("program", program_export)

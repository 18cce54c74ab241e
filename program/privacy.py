"""Privacy for the program app: the learner's and buyer's records in "download my data", and what
deleting the account does here.

The "program" section of the export holds the enrollments (with their audit events) and the parts
the nested apps add with `register_export_part` in their AppConfig.ready() (payments, seat
purchases, certificates), then the webinar registrations, all read in one query. Each nested app
also answers `account_deleting` itself (see its privacy module).

Deleting keeps what other rules need, without the person in it:
- webinar registrations stay for the counts, with name, email, company, role and question replaced;
  seats in sessions still to come are given back to the waitlist (without any email to the person).
Enrollments cascade with the user.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.export import own_email_q, plain, register_exporter
from accounts.export_rows import rows_in_one_query
from accounts.signals import account_deleting

from .models import Enrollment, EnrollmentEvent
from .webinar_models import WebinarRegistration

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


def _registrations_of(user):
    return WebinarRegistration.objects.filter(Q(user=user) | own_email_q(user))


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


def _webinar_sections(user) -> dict:
    return {
        "webinar_registrations": (
            _registrations_of(user),
            {
                **export_columns(
                    "id",
                    "email",
                    "name",
                    "company",
                    "role",
                    "team_size",
                    "question",
                    "time_zone",
                    "status",
                    "created_at",
                    "attended_at",
                    "cancelled_at",
                ),
                "webinar": "session__page__title",
                "session_starts_at": "session__starts_at",
            },
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
    sections.update(_webinar_sections(user))
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


def _webinars_anonymise(user) -> None:
    from .webinar_services import webinar_session_fill_from_waitlist

    registrations = _registrations_of(user)
    now = timezone.now()
    Status = WebinarRegistration.Status
    upcoming = registrations.filter(
        session__starts_at__gt=now, status__in=[Status.REGISTERED, Status.WAITLISTED]
    ).exclude(session__is_cancelled=True)
    pks = list(registrations.values_list("pk", flat=True))
    freed_sessions = set(upcoming.filter(status=Status.REGISTERED).values_list("session_id", flat=True))
    # Straight to CANCELLED, not through webinar_registration_cancel: that one emails the person.
    upcoming.update(status=Status.CANCELLED, cancelled_at=now)
    WebinarRegistration.objects.filter(pk__in=pks).update(
        user=None,
        email=erased_email("webinar"),
        name=DELETED_NAME,
        company="",
        role="",
        question="",
        time_zone="",
    )
    # New uuids: the signed links in old emails (join, cancel, calendar) lead nowhere now.
    for pk in pks:  # a person has a handful
        WebinarRegistration.objects.filter(pk=pk).update(uuid=uuid.uuid4())
    for session_id in sorted(freed_sessions):
        webinar_session_fill_from_waitlist(session_id=session_id)


def program_account_deleting(sender, user, **kwargs) -> None:
    """Anonymise what the program app must keep; see the module docstring."""
    _webinars_anonymise(user)


# Registered on import: the AppConfig imports this module in ready().
register_exporter("program", program_export)
account_deleting.connect(program_account_deleting, dispatch_uid="program.privacy")

"""Privacy for webinars: a person's registrations in "download my data" (inside the program
section, as before), and what deleting the account does to them.

Registrations stay for the counts, with name, email, company, role and question replaced; seats in
sessions still to come are given back to the waitlist (without any email to the person), and the
signed links in old emails (join, cancel, calendar) lead nowhere any more.
"""

import uuid

from django.db.models import Q
from django.utils import timezone

from accounts.export import own_email_q
from accounts.signals import account_deleting
from program.privacy import DELETED_NAME, ExportPart, erased_email, register_export_part

from .models import WebinarRegistration
from .services import webinar_session_fill_from_waitlist

COLUMNS = (
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
)


def _registrations_of(user):
    return WebinarRegistration.objects.filter(Q(user=user) | own_email_q(user))


def webinar_registration_rows(user):
    """The user's registrations (by user or by the user's addresses), for the export's one query."""
    return (
        _registrations_of(user),
        {
            **{name: name for name in COLUMNS},
            "webinar": "session__page__title",
            "session_starts_at": "session__starts_at",
        },
        ("created_at", "id"),
    )


def webinars_account_deleting(sender, user, **kwargs) -> None:
    """Anonymise the person's registrations; see the module docstring."""
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


# Registered on import: the AppConfig imports this module in ready().
register_export_part(ExportPart(sections=lambda user: {"webinar_registrations": webinar_registration_rows(user)}))
account_deleting.connect(webinars_account_deleting, dispatch_uid="webinars.privacy")

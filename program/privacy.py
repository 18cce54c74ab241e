"""Privacy for the program app: the buyer's and learner's records in "download my data", and what
deleting the account does here.

Deleting keeps what other rules need, without the person in it:
- payments stay for the accounts (their user becomes NULL by the FK; they hold no name or email);
- webinar registrations stay for the counts, with name, email, company, role and question replaced;
  seats in sessions still to come are given back to the waitlist (without any email to the person);
- certificates are revoked ("account deleted") and lose the learner's name, email and stored PDF,
  so the public verification page answers "revoked" without naming anyone;
- a seat invitation this person accepted keeps the buyer's seat count but not their address.
Enrollments, seat purchases (with their invitations) and the Stripe customer cascade with the user.
"""

import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.export import own_email_q, plain, register_exporter
from accounts.export_rows import rows_in_one_query
from accounts.signals import account_deleting

from .certificate_models import Certificate, CertificateRevision
from .certificates import certificate_revoke
from .models import Enrollment, EnrollmentEvent
from .payment_models import Payment, SeatInvitation, SeatPurchase
from .webinar_models import WebinarRegistration

DELETED_REASON = "account deleted"
DELETED_NAME = "Deleted account"
ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves, so nothing can be sent there
STATE_FIELDS = ("accepted_at", "revoked_at", "expires_at")  # what SeatInvitation.state reads


def _registrations_of(user):
    return WebinarRegistration.objects.filter(Q(user=user) | own_email_q(user))


def _erased_email(prefix: str):
    """A unique, non-identifying address per row, built in the UPDATE itself."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}"))


def _columns(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def program_export(user) -> dict:
    """Enrollments with their audit events, payments (no card or Stripe ids), seat purchases with
    the invitations sent, certificates and webinar registrations (by user or by the user's
    addresses). One query, however much there is."""
    rows = rows_in_one_query(
        {
            "enrollments": (
                Enrollment.objects.filter(user=user),
                {
                    **_columns("id", "status", "source", "reason", "enrolled_at", "revoked_at", "completed_at"),
                    "program": "program__title",
                },
                ("enrolled_at", "id"),
            ),
            "events": (
                EnrollmentEvent.objects.filter(enrollment__user=user),
                _columns("id", "enrollment_id", "action", "source", "reason", "created_at"),
                ("created_at", "id"),
            ),
            "payments": (
                Payment.objects.filter(user=user),
                {
                    **_columns(
                        "id",
                        "quantity",
                        "amount",
                        "amount_refunded",
                        "currency",
                        "status",
                        "disputed",
                        "created_at",
                        "fulfilled_at",
                    ),
                    "program": "program__title",
                },
                ("created_at", "id"),
            ),
            "seat_purchases": (
                SeatPurchase.objects.filter(buyer=user),
                {**_columns("id", "quantity", "created_at", "revoked_at"), "program": "program__title"},
                ("created_at", "id"),
            ),
            "invitations": (
                SeatInvitation.objects.filter(purchase__buyer=user),
                _columns("id", "purchase_id", "email", "created_at", "expires_at", "accepted_at", "revoked_at"),
                ("created_at", "id"),
            ),
            "certificates": (
                Certificate.objects.filter(user=user),
                _columns(
                    "code",
                    "learner_name",
                    "program_title",
                    "completed_on",
                    "hours",
                    "issued_at",
                    "status",
                    "revoked_reason",
                    "revoked_at",
                ),
                ("issued_at", "code"),
            ),
            "webinar_registrations": (
                _registrations_of(user),
                {
                    **_columns(
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
    )
    events, invitations = defaultdict(list), defaultdict(list)
    for event in rows.pop("events"):
        events[event.pop("enrollment_id")].append(event)
    for invitation in rows.pop("invitations"):
        invitation["state"] = SeatInvitation(**{k: invitation[k] for k in STATE_FIELDS}).state
        invitations[invitation.pop("purchase_id")].append(invitation)
    for enrollment in rows["enrollments"]:
        enrollment["events"] = events[enrollment["id"]]
    for purchase in rows["seat_purchases"]:
        purchase["invitations"] = invitations[purchase["id"]]
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
        email=_erased_email("webinar"),
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


def _certificates_anonymise(user) -> None:
    certificates = list(Certificate.objects.filter(user=user))
    for certificate in certificates:
        certificate_revoke(certificate=certificate, reason=DELETED_REASON)
    stored = [c.pdf.name for c in certificates if c.pdf]
    CertificateRevision.objects.filter(certificate__in=certificates).delete()  # they hold old names
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(
        user=None, learner_name="", learner_email="", pdf="", pdf_content_hash=""
    )
    if stored:
        storage = Certificate._meta.get_field("pdf").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stored])


def program_account_deleting(sender, user, **kwargs) -> None:
    """Anonymise what the program app must keep; see the module docstring."""
    _webinars_anonymise(user)
    _certificates_anonymise(user)
    SeatInvitation.objects.filter(accepted_by=user).update(accepted_by=None, email=_erased_email("seat"))
    Payment.objects.filter(user=user).update(user=None)  # the FK would do it; explicit for the accounts


# Registered on import: the AppConfig imports this module in ready().
register_exporter("program", program_export)
account_deleting.connect(program_account_deleting, dispatch_uid="program.privacy")

"""Privacy for the program app: the buyer's and learner's records in "download my data", and what
deleting the account does here.

Deleting keeps what other rules need, without the person in it:
- payments stay for the accounts (their user becomes NULL by the FK; they hold no name or email);
- certificates are revoked ("account deleted") and lose the learner's name, email and stored PDF,
  so the public verification page answers "revoked" without naming anyone;
- a seat invitation this person accepted keeps the buyer's seat count but not their address.
Enrollments, seat purchases (with their invitations) and the Stripe customer cascade with the user.

Nested apps (webinars) add their own lists of rows to the program section with
`register_program_rows`, so the download keeps one "program" section fetched in one query; each
anonymises its own rows with its own `account_deleting` receiver.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from accounts.export import plain, register_exporter
from accounts.export_rows import Section, rows_in_one_query
from accounts.signals import account_deleting

from .certificate_models import Certificate, CertificateRevision
from .certificates import certificate_revoke
from .models import Enrollment, EnrollmentEvent
from .payment_models import Payment, SeatInvitation, SeatPurchase

DELETED_REASON = "account deleted"
DELETED_NAME = "Deleted account"
ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves, so nothing can be sent there
STATE_FIELDS = ("accepted_at", "revoked_at", "expires_at")  # what SeatInvitation.state reads


_nested_rows: dict[str, Callable[[Any], Section]] = {}


def register_program_rows(key: str, rows: Callable[[Any], Section]) -> None:
    """Add the list `key` to the program section of every export: `rows(user)` gives the
    (queryset, {output key: field path}, sort keys) fetched in the section's one query."""
    _nested_rows[key] = rows


def erased_email(prefix: str):
    """A unique, non-identifying address per row, built in the UPDATE itself."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}"))


def _columns(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def program_export(user) -> dict:
    """Enrollments with their audit events, payments (no card or Stripe ids), seat purchases with
    the invitations sent, certificates, and the rows of the nested apps (webinar registrations).
    One query, however much there is."""
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
            **{key: rows(user) for key, rows in _nested_rows.items()},
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
    _certificates_anonymise(user)
    SeatInvitation.objects.filter(accepted_by=user).update(accepted_by=None, email=erased_email("seat"))
    Payment.objects.filter(user=user).update(user=None)  # the FK would do it; explicit for the accounts


# Registered on import: the AppConfig imports this module in ready().
register_exporter("program", program_export)
account_deleting.connect(program_account_deleting, dispatch_uid="program.privacy")

"""Privacy for payments: the buyer's payments and seat purchases in "download my data", and what
deleting the account does to them.

Deleting keeps what other rules need, without the person in it:
- payments stay for the accounts (their user becomes NULL by the FK; they hold no name or email);
- a seat invitation this person accepted keeps the buyer's seat count but not their address.
Seat purchases (with their invitations) and the Stripe customer cascade with the user.
"""

from collections import defaultdict

from accounts.signals import account_deleting
from program.privacy import ExportPart, erased_email, export_columns, register_export_part

from .models import Payment, SeatInvitation, SeatPurchase

STATE_FIELDS = ("accepted_at", "revoked_at", "expires_at")  # what SeatInvitation.state reads


def _payment_sections(user) -> dict:
    """Payments (no card or Stripe ids; the links to their invoices) and seat purchases with the
    invitations sent."""
    return {
        "payments": (
            Payment.objects.filter(user=user),
            {
                **export_columns(
                    "id",
                    "quantity",
                    "amount",
                    "amount_refunded",
                    "currency",
                    "status",
                    "disputed",
                    "created_at",
                    "fulfilled_at",
                    "invoice_url",  # Stripe's hosted invoice page and its PDF (company purchases)
                    "invoice_pdf",
                ),
                "program": "program__title",
            },
            ("created_at", "id"),
        ),
        "seat_purchases": (
            SeatPurchase.objects.filter(buyer=user),
            {**export_columns("id", "quantity", "created_at", "revoked_at"), "program": "program__title"},
            ("created_at", "id"),
        ),
        "invitations": (
            SeatInvitation.objects.filter(purchase__buyer=user),
            export_columns("id", "purchase_id", "email", "created_at", "expires_at", "accepted_at", "revoked_at"),
            ("created_at", "id"),
        ),
    }


def _nest_invitations(rows: dict) -> None:
    invitations = defaultdict(list)
    for invitation in rows.pop("invitations"):
        invitation["state"] = SeatInvitation(**{k: invitation[k] for k in STATE_FIELDS}).state
        invitations[invitation.pop("purchase_id")].append(invitation)
    for purchase in rows["seat_purchases"]:
        purchase["invitations"] = invitations[purchase["id"]]


def payments_account_deleting(sender, user, **kwargs) -> None:
    """Anonymise what payments must keep; see the module docstring."""
    SeatInvitation.objects.filter(accepted_by=user).update(accepted_by=None, email=erased_email("seat"))
    Payment.objects.filter(user=user).update(user=None)  # the FK would do it; explicit for the accounts


# Registered on import: the AppConfig imports this module in ready().
register_export_part(ExportPart(sections=_payment_sections, finish=_nest_invitations))
account_deleting.connect(payments_account_deleting, dispatch_uid="payments.privacy")

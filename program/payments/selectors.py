"""Reads for the payment pages, each in a fixed number of queries."""

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from program.compiled_rows import user_rows
from program.models import ProgramPage

from .models import Payment, SeatPurchase, StripeCustomer


def purchases_for_buyer(*, user: User):
    """The user's own seat purchases with seats used / invited counted in the same query."""
    now = timezone.now()
    return (
        SeatPurchase.objects.filter(buyer=user)
        .select_related("program")
        .annotate(
            used=Count("invitations", filter=Q(invitations__accepted_at__isnull=False)),
            invited=Count(
                "invitations",
                filter=Q(
                    invitations__accepted_at__isnull=True,
                    invitations__revoked_at__isnull=True,
                    invitations__expires_at__gt=now,
                ),
            ),
        )
    )


def purchase_for_buyer(*, user: User, pk: int) -> SeatPurchase:
    """One of the user's purchases with its invitations (and who accepted them); 404 for anyone else."""
    purchase = purchases_for_buyer(user=user).filter(pk=pk).prefetch_related("invitations__accepted_by").first()
    if purchase is None:
        raise Http404("No such company purchase.")
    purchase.free = max(purchase.quantity - purchase.used - purchase.invited, 0)
    return purchase


# The learner dashboard's one query counts the user's payments that are not pending and puts the
# number under this key (`accounts.dashboard.shared`): at 0 the billing panel is hidden without its query.
ON_FILE_KEY = "payments:on-file"


def billing_panel_context(*, user: User) -> dict | None:
    """Payments for the dashboard billing panel; None (panel hidden) for a user who never paid.
    One query for most users (its SQL compiled once per process), two for buyers. Each payment
    carries its program's title as `program_title` (no program page loaded)."""
    payments = user_rows("payments:billing-panel", _panel_payments, user_id=user.pk)
    if not payments:
        return None
    return {
        "payments": payments,
        "has_customer": StripeCustomer.objects.filter(user=user).exists(),
        "has_company": any(p.quantity > 1 for p in payments),
    }


def _panel_payments(user_id: int):
    return (
        Payment.objects.filter(user=user_id)
        .exclude(status=Payment.Status.PENDING)
        .annotate(program_title=F("program__title"))
        .order_by("-created_at")[:20]
    )


def program_for_checkout(*, program_id: int) -> ProgramPage:
    program = ProgramPage.objects.live().filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return program

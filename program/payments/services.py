"""Stripe Checkout: starting a purchase, fulfilling it once, refunds and disputes.

Fulfilment is keyed on the Checkout Session id: the webhook and the success page both call
`checkout_fulfil`, which locks the Payment row, so whichever arrives second finds the work done.
No network call happens while a row is locked except the one inside fulfilment, which must read
the session Stripe holds (never trust the event body or the browser for what was paid).
"""

import logging
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import coaches
from home.core.mail import email_queue_plain
from program.models import Enrollment, ProgramPage
from program.services import enrollment_grant, enrollment_revoke

from .models import Payment, SeatPurchase, StripeCustomer
from .seats import seat_purchase_revoke

logger = logging.getLogger(__name__)

PAID_STATUSES = {"paid", "no_payment_required"}  # a 100% promotion code needs no payment
MAX_SEATS = 200


class PaymentsNotConfigured(Exception):
    """Online payment is off (no Stripe keys) or the program has no Stripe price."""


def payments_enabled() -> bool:
    return bool(settings.PAYMENTS_ENABLED and settings.STRIPE_SECRET_KEY)


def program_purchasable(program: ProgramPage) -> bool:
    return payments_enabled() and bool(program.stripe_price_id)


def stripe_client() -> stripe.StripeClient:
    """A client for our account; tests point STRIPE_API_BASE at a local fake Stripe."""
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=1)


def stripe_customer_ensure(*, user: User) -> str:
    """Return the user's Stripe customer id, creating the customer (with their email) once."""
    existing = StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first()
    if existing:
        return existing
    customer = stripe_client().v1.customers.create(
        params={"email": user.email, "name": user.full_name or user.email, "metadata": {"user_id": str(user.pk)}}
    )
    record, _ = StripeCustomer.objects.get_or_create(user=user, defaults={"customer_id": customer.id})
    return record.customer_id


def checkout_session_create(
    *, user: User, program: ProgramPage, quantity: int, success_url: str, cancel_url: str
) -> str:
    """Start a Stripe Checkout Session (mode payment) and return the URL to send the buyer to.

    One seat enrols the buyer; more than one becomes a company seat purchase. Promotion codes are
    allowed. A pending Payment row is stored under the session id so fulfilment can find it.
    `success_url` must contain `{CHECKOUT_SESSION_ID}`, which Stripe fills in.
    """
    if not program_purchasable(program):
        raise PaymentsNotConfigured("Online payment is not set up for this program.")
    if not 1 <= quantity <= MAX_SEATS:
        raise ValueError(f"Choose between 1 and {MAX_SEATS} seats.")
    customer_id = stripe_customer_ensure(user=user)
    session = (
        stripe_client()
        .v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "customer": customer_id,
                "client_reference_id": str(user.pk),
                "line_items": [{"price": program.stripe_price_id, "quantity": quantity}],
                "allow_promotion_codes": True,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": {"program_id": str(program.pk), "user_id": str(user.pk), "quantity": str(quantity)},
            }
        )
        .to_dict()
    )
    payment = Payment(
        checkout_session_id=session["id"],
        user=user,
        program=program,
        quantity=quantity,
        amount=session.get("amount_total") or 0,
        currency=(session.get("currency") or program.currency).lower(),
    )
    payment.full_clean()
    payment.save()
    return session["url"]


def _session_retrieve(session_id: str) -> Any:
    return stripe_client().v1.checkout.sessions.retrieve(session_id, params={"expand": ["line_items"]}).to_dict()


def _flag(payment: Payment, reason: str) -> Payment:
    payment.status = Payment.Status.FLAGGED
    payment.flag_reason = reason[:255]
    payment.save(update_fields=["status", "flag_reason"])
    logger.warning("payment %s flagged: %s", payment.checkout_session_id, reason)
    return payment


def checkout_fulfil(*, session_id: str) -> Payment:
    """Give what was bought for Checkout Session `session_id`, exactly once.

    Reads the session from Stripe and grants access only when its payment_status is paid and
    every line item is the program's own Stripe price. Otherwise nothing is granted: an unpaid
    session stays pending (async methods pay later); an unknown session or a wrong price is
    flagged for the coach. Safe to call any number of times, from any number of processes.
    """
    try:
        session = _session_retrieve(session_id)
    except stripe.InvalidRequestError as exc:
        logger.warning("checkout session %s not found at Stripe: %s", session_id, exc)
        session = None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(checkout_session_id=session_id).first()
        if payment is None:
            payment, _ = Payment.objects.get_or_create(
                checkout_session_id=session_id,
                defaults={"status": Payment.Status.FLAGGED, "flag_reason": "Checkout session we never started."},
            )
            logger.warning("unknown checkout session %s flagged", session_id)
            return payment
        if payment.fulfilled_at or payment.status in (Payment.Status.FLAGGED, Payment.Status.REFUNDED):
            return payment  # done before (or needs a person), nothing more to do
        if session is None:
            return _flag(payment, "Stripe does not know this checkout session.")
        if session.get("payment_status") not in PAID_STATUSES:
            return payment  # still waiting (e.g. a bank debit); the async event finishes it
        line_items = (session.get("line_items") or {}).get("data") or []
        prices = {(item.get("price") or {}).get("id") for item in line_items}
        program = payment.program
        if program is None or not program.stripe_price_id or prices != {program.stripe_price_id}:
            return _flag(payment, f"Price {', '.join(sorted(p or '?' for p in prices))} does not match the program.")
        payment.quantity = sum(item.get("quantity") or 0 for item in line_items) or payment.quantity
        payment.amount = session.get("amount_total") or 0
        payment.currency = (session.get("currency") or payment.currency).lower()
        payment.payment_intent_id = session.get("payment_intent") or ""
        payment.status = Payment.Status.PAID
        payment.fulfilled_at = timezone.now()
        payment.full_clean()
        payment.save()
        if payment.quantity == 1:
            enrollment_grant(
                user=payment.user, program=program, source=Enrollment.Source.STRIPE, reason=f"Paid: {session_id}"
            )
        else:
            SeatPurchase.objects.create(buyer=payment.user, program=program, quantity=payment.quantity, payment=payment)
        return payment


@transaction.atomic
def checkout_payment_failed(*, session_id: str) -> Payment | None:
    """An async payment (bank debit) failed: mark it; nothing was granted, so nothing to take back."""
    payment = Payment.objects.select_for_update().filter(checkout_session_id=session_id).first()
    if payment is None or payment.fulfilled_at:
        return payment
    payment.status = Payment.Status.FAILED
    payment.save(update_fields=["status"])
    return payment


@transaction.atomic
def payment_refund_record(*, payment_intent_id: str, amount_refunded: int, fully_refunded: bool) -> Payment | None:
    """Record a refund. A full refund takes away what the payment gave (the buyer's enrollment,
    or every seat of a company purchase); the Enrollment rows stay, so progress is kept and a
    later purchase restores it. A partial refund changes no access."""
    payment = Payment.objects.select_for_update().filter(payment_intent_id=payment_intent_id).first()
    if payment is None:
        logger.warning("refund for unknown payment intent %s ignored", payment_intent_id)
        return None
    payment.amount_refunded = amount_refunded
    if not fully_refunded or payment.status == Payment.Status.REFUNDED:
        payment.save(update_fields=["amount_refunded"])
        return payment
    was_fulfilled = payment.status == Payment.Status.PAID
    payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["amount_refunded", "status"])
    if not was_fulfilled:
        return payment
    reason = f"Refunded: {payment.checkout_session_id}"
    purchase = SeatPurchase.objects.filter(payment=payment).first()
    if purchase is None:
        enrollments = Enrollment.objects.filter(
            user=payment.user, program=payment.program, source=Enrollment.Source.STRIPE
        )
    else:
        enrollments = seat_purchase_revoke(purchase=purchase)
    for enrollment in enrollments:
        enrollment_revoke(enrollment=enrollment, reason=reason)
    return payment


@transaction.atomic
def payment_dispute_flag(*, payment_intent_id: str, reason: str) -> Payment | None:
    """The buyer disputed the charge with their bank: flag the payment so the coach sees it."""
    payment = Payment.objects.select_for_update().filter(payment_intent_id=payment_intent_id).first()
    if payment is None:
        logger.warning("dispute for unknown payment intent %s ignored", payment_intent_id)
        return None
    first_time = not payment.disputed
    payment.disputed = True
    payment.flag_reason = f"Disputed: {reason}"[:255]
    payment.save(update_fields=["disputed", "flag_reason"])
    logger.warning("payment %s disputed (%s)", payment.checkout_session_id, reason)
    if first_time:
        transaction.on_commit(lambda: _tell_the_coach_of_a_dispute(payment_id=payment.pk, reason=reason))
    return payment


def _tell_the_coach_of_a_dispute(*, payment_id: int, reason: str) -> None:
    """Email the staff (the coach's accounts): a dispute has a deadline at Stripe."""
    payment = Payment.objects.select_related("user", "program").filter(pk=payment_id).first()
    recipients = list(coaches().exclude(email="").values_list("email", flat=True))
    if payment is None or not recipients:
        return
    buyer = (payment.user.full_name or payment.user.email) if payment.user else "a buyer (account deleted)"
    email_queue_plain(
        subject=f"A payment for {payment.program.title} was disputed",
        message=(
            f"{buyer} disputed the payment for {payment.program.title} with their bank "
            f"(reason given: {reason}).\n\n"
            "Stripe gives a deadline to answer a dispute with evidence: open the payment in the Stripe "
            f"dashboard (payment intent {payment.payment_intent_id}). The payment is flagged in the "
            "Huddle admin under Payments; the leader's access is unchanged until you decide.\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def billing_portal_url(*, user: User, return_url: str) -> str | None:
    """A Stripe customer portal session for the user's invoices and receipts (None: not a customer)."""
    customer_id = StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first()
    if not customer_id or not payments_enabled():
        return None
    portal = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url}
    )
    return portal.url

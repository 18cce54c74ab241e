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
from .pricing import checkout_line_item, stripe_tax_on
from .seats import seat_purchase_add, seat_purchase_revoke, seat_top_up_revoke

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
    *,
    user: User,
    program: ProgramPage,
    quantity: int,
    success_url: str,
    cancel_url: str,
    invoice: bool = False,
    add_to: SeatPurchase | None = None,
) -> str:
    """Start a Stripe Checkout Session (mode payment) and return the URL to send the buyer to.

    One seat enrols the buyer; more than one becomes a company seat purchase, and `add_to` adds
    the seats to an existing company purchase of the buyer's instead ("buy more seats"). The
    price per seat is the volume tier for the pool after the purchase (see `pricing`). With
    `invoice`, Stripe creates an invoice and collects the billing address and tax ID; Stripe Tax
    is on when the coach turned it on in the site settings. A pending Payment row is stored under the
    session id so fulfilment can find it. `success_url` must contain `{CHECKOUT_SESSION_ID}`.
    """
    if not program_purchasable(program):
        raise PaymentsNotConfigured("Online payment is not set up for this program.")
    if not 1 <= quantity <= MAX_SEATS:
        raise ValueError(f"Choose between 1 and {MAX_SEATS} seats.")
    if add_to is not None and (add_to.buyer_id != user.pk or add_to.program_id != program.pk or add_to.revoked_at):
        raise ValueError("These seats cannot be added to that purchase.")
    customer_id = stripe_customer_ensure(user=user)
    automatic_tax = stripe_tax_on(program=program)
    line_item, unit_amount = checkout_line_item(
        program=program,
        quantity=quantity,
        pool_after=quantity + (add_to.quantity if add_to else 0),
        automatic_tax=automatic_tax,
    )
    params: dict[str, Any] = {
        "mode": "payment",
        "customer": customer_id,
        "client_reference_id": str(user.pk),
        "line_items": [line_item],
        "allow_promotion_codes": True,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": {"program_id": str(program.pk), "user_id": str(user.pk), "quantity": str(quantity)},
    }
    if add_to is not None:
        params["metadata"]["adds_to_purchase"] = str(add_to.pk)
    customer_update: dict[str, str] = {}
    if invoice:
        seats = f"{quantity} seat{'s' if quantity != 1 else ''}"
        params["invoice_creation"] = {
            "enabled": True,
            "invoice_data": {
                "description": f"{program.title}: {seats}",
                "metadata": {"program_id": str(program.pk), "user_id": str(user.pk)},
            },
        }
        params["tax_id_collection"] = {"enabled": True}
        params["billing_address_collection"] = "required"
        customer_update.update(name="auto", address="auto")  # Stripe requires both for tax IDs
    if automatic_tax:
        params["automatic_tax"] = {"enabled": True}
        customer_update["address"] = "auto"  # Stripe Tax reads the address the buyer enters
    if customer_update:
        params["customer_update"] = customer_update
    session = stripe_client().v1.checkout.sessions.create(params=params).to_dict()
    payment = Payment(
        checkout_session_id=session["id"],
        user=user,
        program=program,
        quantity=quantity,
        unit_amount=unit_amount,
        adds_to=add_to,
        invoice_requested=invoice,
        amount=session.get("amount_total") or 0,
        currency=(session.get("currency") or program.currency).lower(),
    )
    payment.full_clean()
    payment.save()
    return session["url"]


def _session_retrieve(session_id: str) -> Any:
    session = stripe_client().v1.checkout.sessions.retrieve(session_id, params={"expand": ["line_items", "invoice"]})
    return session.to_dict()


def _prices_match(payment: Payment, program: ProgramPage | None, line_items: list[dict]) -> str:
    """'' when Stripe charged what we asked for, else the reason to flag the payment."""
    if program is None:
        return "The program no longer exists."
    if payment.unit_amount:  # a volume tier: the amount per seat, in the program's currency
        charged = {
            ((i.get("price") or {}).get("unit_amount"), (i.get("price") or {}).get("currency")) for i in line_items
        }
        if charged != {(payment.unit_amount, program.currency.lower())}:
            return f"Charged {charged} per seat, not the tier's {payment.unit_amount}."
        return ""
    prices = {(item.get("price") or {}).get("id") for item in line_items}
    if not program.stripe_price_id or prices != {program.stripe_price_id}:
        return f"Price {', '.join(sorted(p or '?' for p in prices))} does not match the program."
    return ""


def _invoice_fields(invoice: Any) -> dict[str, str]:
    if not invoice:
        return {}
    if isinstance(invoice, str):
        return {"invoice_id": invoice}
    return {
        "invoice_id": invoice.get("id") or "",
        "invoice_url": invoice.get("hosted_invoice_url") or "",
        "invoice_pdf": invoice.get("invoice_pdf") or "",
    }


@transaction.atomic
def payment_invoice_record(*, invoice: dict) -> Payment | None:
    """Stripe finalized or paid an invoice: keep its hosted page and PDF on the payment it
    belongs to (matched by invoice id, or by the payment intent it was paid with)."""
    fields = _invoice_fields(invoice)
    match = Payment.objects.select_for_update().filter(invoice_id=fields.get("invoice_id") or "-")
    payment = match.first()
    if payment is None and invoice.get("payment_intent"):
        payment = Payment.objects.select_for_update().filter(payment_intent_id=invoice["payment_intent"]).first()
    if payment is None:
        return None
    for name, value in fields.items():
        if value:
            setattr(payment, name, value)
    payment.save(update_fields=[name for name, value in fields.items() if value])
    return payment


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
        program = payment.program
        problem = _prices_match(payment, program, line_items)
        if problem:
            return _flag(payment, problem)
        payment.quantity = sum(item.get("quantity") or 0 for item in line_items) or payment.quantity
        payment.amount = session.get("amount_total") or 0
        payment.currency = (session.get("currency") or payment.currency).lower()
        payment.payment_intent_id = session.get("payment_intent") or ""
        for name, value in _invoice_fields(session.get("invoice")).items():
            setattr(payment, name, value)
        payment.status = Payment.Status.PAID
        payment.fulfilled_at = timezone.now()
        payment.full_clean()
        payment.save()
        if payment.adds_to_id:
            seat_purchase_add(purchase_id=payment.adds_to_id, payment=payment)
        elif payment.quantity == 1:
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
    if payment.adds_to_id:
        seat_top_up_revoke(payment=payment)
        return payment
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

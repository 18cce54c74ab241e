"""Stripe webhook: verify, record the event id, act once.

The event id is inserted (unique) inside the same transaction as the work it triggers: a repeat
delivery, even one arriving at the same moment on another connection, fails that insert and is
ignored; a failure while acting rolls the record back so Stripe's retry runs it again.
"""

import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import StripeEvent
from .services import (
    checkout_fulfil,
    checkout_payment_failed,
    payment_dispute_flag,
    payment_invoice_record,
    payment_refund_record,
)

logger = logging.getLogger(__name__)


def _checkout_completed(obj) -> None:
    checkout_fulfil(session_id=obj["id"])


def _checkout_failed(obj) -> None:
    checkout_payment_failed(session_id=obj["id"])


def _charge_refunded(obj) -> None:
    if obj.get("payment_intent"):
        payment_refund_record(
            payment_intent_id=obj["payment_intent"],
            amount_refunded=obj.get("amount_refunded") or 0,
            fully_refunded=bool(obj.get("refunded")),
        )


def _dispute_created(obj) -> None:
    if obj.get("payment_intent"):
        payment_dispute_flag(payment_intent_id=obj["payment_intent"], reason=obj.get("reason") or "unknown reason")


def _invoice_ready(obj) -> None:
    payment_invoice_record(invoice=obj)


HANDLERS = {
    "invoice.finalized": _invoice_ready,
    "invoice.paid": _invoice_ready,
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.async_payment_failed": _checkout_failed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
}


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("stripe webhook called but STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponseBadRequest("Webhooks are not configured.")
    sig_header = request.headers.get("Stripe-Signature")
    if not sig_header:
        logger.warning("stripe webhook without a Stripe-Signature header rejected")
        return HttpResponseBadRequest("Missing signature.")
    try:
        # The library's own verifier: HMAC-SHA256 over "<t>.<payload>", default 5-minute tolerance.
        event = stripe.Webhook.construct_event(request.body.decode("utf-8"), sig_header, secret)
    except (ValueError, UnicodeDecodeError) as exc:
        logger.warning("stripe webhook with a malformed payload rejected: %s", exc)
        return HttpResponseBadRequest("Malformed payload.")
    except stripe.SignatureVerificationError as exc:
        logger.warning("stripe webhook with a bad signature rejected: %s", exc)
        return HttpResponseBadRequest("Bad signature.")

    handler = HANDLERS.get(event["type"])
    if handler is None:
        return HttpResponse("Ignored.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return HttpResponse("Already processed.")
        handler(event.to_dict()["data"]["object"])
        record.processed_at = timezone.now()
        record.save(update_fields=["processed_at"])
    return HttpResponse("OK")

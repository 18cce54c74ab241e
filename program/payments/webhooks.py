"""Stripe webhook: verify, record the event id, act once.

The event id is inserted (unique) inside the same transaction as the work it triggers: a repeat
delivery, even one arriving at the same moment on another connection, fails that insert and is
ignored; a failure while acting rolls the record back so Stripe's retry runs it again.
"""

import json
import logging
import re

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


# Stripe's ids are short ASCII words with a known prefix ("cs_test_a1B2..."). Anything else in a
# correctly signed event (a new API version's shape, an expanded object, a test fixture gone wrong)
# is refused with 400 and nothing recorded, so Stripe retries it and the log shows what came.
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{4,255}")


class UnexpectedShape(ValueError):
    """A correctly signed event whose fields are not what this handler knows how to read."""


def _stripe_id(value, prefix: str) -> str:
    if isinstance(value, dict):  # an expanded object: its id
        value = value.get("id")
    if isinstance(value, str) and value.startswith(prefix) and STRIPE_ID.fullmatch(value):
        return value
    raise UnexpectedShape(f"expected a {prefix}... id, got {str(value)[:80]!r}")


def _checkout_completed(obj: dict) -> None:
    checkout_fulfil(session_id=_stripe_id(obj.get("id"), "cs_"))


def _checkout_failed(obj: dict) -> None:
    checkout_payment_failed(session_id=_stripe_id(obj.get("id"), "cs_"))


def _charge_refunded(obj: dict) -> None:
    if not obj.get("payment_intent"):
        return  # a charge without a payment intent was not made by our Checkout
    amount = obj.get("amount_refunded") or 0
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise UnexpectedShape(f"amount_refunded {str(amount)[:40]!r}")
    payment_refund_record(
        payment_intent_id=_stripe_id(obj["payment_intent"], "pi_"),
        amount_refunded=amount,
        fully_refunded=obj.get("refunded") is True,
    )


def _dispute_created(obj: dict) -> None:
    if not obj.get("payment_intent"):
        return
    reason = obj.get("reason") or "unknown reason"
    if not isinstance(reason, str):
        raise UnexpectedShape(f"reason {str(reason)[:40]!r}")
    payment_dispute_flag(payment_intent_id=_stripe_id(obj["payment_intent"], "pi_"), reason=reason[:200])


def _event(payload: str) -> tuple[str, str, dict]:
    """(id, type, data.object) of a verified payload; UnexpectedShape when it is not an event."""
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise UnexpectedShape("not JSON") from exc
    if not isinstance(event, dict):
        raise UnexpectedShape("not an object")
    kind, data = event.get("type"), event.get("data")
    if not isinstance(kind, str) or not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise UnexpectedShape("no type or data.object")
    return _stripe_id(event.get("id"), "evt_"), kind[:100], data["object"]


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
        payload = request.body.decode("utf-8")
        # The library's own verifier: HMAC-SHA256 over "<t>.<payload>", default 5-minute tolerance.
        stripe.WebhookSignature.verify_header(payload, sig_header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except UnicodeDecodeError as exc:
        logger.warning("stripe webhook with a malformed payload rejected: %s", exc)
        return HttpResponseBadRequest("Malformed payload.")
    except stripe.SignatureVerificationError as exc:
        logger.warning("stripe webhook with a bad signature rejected: %s", exc)
        return HttpResponseBadRequest("Bad signature.")
    try:
        event_id, kind, obj = _event(payload)
        handler = HANDLERS.get(kind)
        if handler is None:
            return HttpResponse("Ignored.")
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = StripeEvent.objects.create(event_id=event_id, type=kind)
            except IntegrityError:
                return HttpResponse("Already processed.")
            handler(obj)  # UnexpectedShape rolls the record back with everything else
            record.processed_at = timezone.now()
            record.save(update_fields=["processed_at"])
    except UnexpectedShape as exc:
        logger.error("signed stripe event malformed or of an unexpected shape, refused: %s", exc)
        return HttpResponseBadRequest("Unexpected event shape.")
    return HttpResponse("OK")

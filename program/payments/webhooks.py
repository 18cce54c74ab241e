"""Stripe webhook: verify the signature, read the event, store it and acknowledge it.

Acting on it happens in the task queue (program.payments.stripe_events), so Stripe's API being
unreachable costs a retry later, not a 500 now, and nothing acknowledged is lost. A repeat
delivery, even one arriving at the same moment on another connection, stores and queues nothing.
"""

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .metrics import webhook_outcome
from .stripe_events import UnexpectedShape, stripe_event_read, stripe_event_receive

logger = logging.getLogger(__name__)


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
        webhook_outcome(kind="unknown", result="bad_signature")
        return HttpResponseBadRequest("Missing signature.")
    try:
        payload = request.body.decode("utf-8")
        # The library's own verifier: HMAC-SHA256 over "<t>.<payload>", default 5-minute tolerance.
        stripe.WebhookSignature.verify_header(payload, sig_header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except UnicodeDecodeError as exc:
        logger.warning("stripe webhook with a malformed payload rejected: %s", exc)
        webhook_outcome(kind="unknown", result="bad_signature")
        return HttpResponseBadRequest("Malformed payload.")
    except stripe.SignatureVerificationError as exc:
        logger.warning("stripe webhook with a bad signature rejected: %s", exc)
        webhook_outcome(kind="unknown", result="bad_signature")
        return HttpResponseBadRequest("Bad signature.")
    try:
        try:
            event = json.loads(payload)
        except ValueError as exc:
            raise UnexpectedShape("malformed JSON") from exc
        event_id, kind, details = stripe_event_read(event)
    except UnexpectedShape as exc:
        logger.error("signed stripe event malformed or of an unexpected shape, refused: %s", exc)
        webhook_outcome(kind="unknown", result="refused")
        return HttpResponseBadRequest("Unexpected event shape.")
    if details is None:
        webhook_outcome(kind=kind, result="ignored")
        return HttpResponse("Ignored.")
    # Stored and queued in one transaction, then acknowledged: the action (which may need Stripe's
    # API) runs in the task queue, retried while Stripe is away.
    stored, new = stripe_event_receive(event_id=event_id, kind=kind, details=details)
    if not new:
        webhook_outcome(kind=kind, result="duplicate")
        return HttpResponse("Already processed." if stored.processed_at else "Already received.")
    return HttpResponse("OK")

"""Stripe events we act on, made durable: the webhook stores the event and acknowledges it; the
task queue acts on it (program.payments.tasks), retrying with backoff while Stripe's API is
unreachable, and once it has given up the coach sees it and retries it.

Each event type has a reader and an action. The reader runs in the webhook: it checks the signed
object's shape (a shape we do not know is refused with 400 and nothing stored) and keeps only the
ids, numbers and links the action needs, so no personal data is stored with the event. The action
runs in the queue and may call Stripe's API (checkout_fulfil reads the session there).

Exactly once: the event id is unique, so a re-delivery (even at the same moment) stores nothing and
queues nothing; the action runs under a lock on the stored event and marks it processed in the
same transaction, so a retry or the coach's retry after success does nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .metrics import webhook_outcome
from .models import StripeEvent
from .services import (
    checkout_fulfil,
    checkout_payment_failed,
    payment_dispute_flag,
    payment_invoice_record,
    payment_refund_record,
)

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


def _text(obj: dict, name: str, limit: int = 500) -> str:
    value = obj.get(name) or ""
    if not isinstance(value, str) or len(value) > limit:
        raise UnexpectedShape(f"{name} {str(value)[:40]!r}")
    return value


def _session(obj: dict) -> dict:
    return {"session_id": _stripe_id(obj.get("id"), "cs_")}


def _refund(obj: dict) -> dict | None:
    if not obj.get("payment_intent"):
        return None  # a charge without a payment intent was not made by our Checkout
    amount = obj.get("amount_refunded") or 0
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise UnexpectedShape(f"amount_refunded {str(amount)[:40]!r}")
    return {
        "payment_intent_id": _stripe_id(obj["payment_intent"], "pi_"),
        "amount_refunded": amount,
        "fully_refunded": obj.get("refunded") is True,
    }


def _dispute(obj: dict) -> dict | None:
    if not obj.get("payment_intent"):
        return None
    reason = obj.get("reason") or "unknown reason"
    if not isinstance(reason, str):
        raise UnexpectedShape(f"reason {str(reason)[:40]!r}")
    return {"payment_intent_id": _stripe_id(obj["payment_intent"], "pi_"), "reason": reason[:200]}


def _invoice(obj: dict) -> dict:
    invoice = {"hosted_invoice_url": _text(obj, "hosted_invoice_url"), "invoice_pdf": _text(obj, "invoice_pdf")}
    if obj.get("id"):
        invoice["id"] = _stripe_id(obj["id"], "in_")
    if obj.get("payment_intent"):
        invoice["payment_intent"] = _stripe_id(obj["payment_intent"], "pi_")
    return {"invoice": invoice}


@dataclass(frozen=True)
class EventKind:
    read: Callable[[dict], dict | None]  # the signed object -> the action's arguments (None: nothing to do)
    act: Callable[..., object]


KINDS = {
    "invoice.finalized": EventKind(_invoice, payment_invoice_record),
    "invoice.paid": EventKind(_invoice, payment_invoice_record),
    "checkout.session.completed": EventKind(_session, checkout_fulfil),
    "checkout.session.async_payment_succeeded": EventKind(_session, checkout_fulfil),
    "checkout.session.async_payment_failed": EventKind(_session, checkout_payment_failed),
    "charge.refunded": EventKind(_refund, payment_refund_record),
    "charge.dispute.created": EventKind(_dispute, payment_dispute_flag),
}


def stripe_event_read(payload: dict) -> tuple[str, str, dict | None]:
    """(event id, type, the action's arguments) of a verified event; arguments None when we do not
    act on it. UnexpectedShape when it is not an event or its object is not what we know."""
    if not isinstance(payload, dict):
        raise UnexpectedShape("not an object")
    kind, data = payload.get("type"), payload.get("data")
    if not isinstance(kind, str) or not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise UnexpectedShape("no type or data.object")
    event_id = _stripe_id(payload.get("id"), "evt_")
    handler = KINDS.get(kind)
    return event_id, kind[:100], handler.read(data["object"]) if handler else None


@transaction.atomic
def stripe_event_receive(*, event_id: str, kind: str, details: dict) -> tuple[StripeEvent, bool]:
    """Store the event and queue its action, both in this transaction (the queue is a table), so
    an acknowledged event is never lost. (event, False) when this event id was received before:
    nothing is stored or queued again."""
    from .tasks import stripe_event_process

    try:
        with transaction.atomic():
            event = StripeEvent.objects.create(event_id=event_id, type=kind, details=details)
    except IntegrityError:
        return StripeEvent.objects.get(event_id=event_id), False
    stripe_event_process.enqueue(stripe_event_id=event.pk)
    return event, True


def stripe_event_handle(*, stripe_event_id: int) -> bool:
    """Act on a stored event unless it was processed already; True when it was acted on now. The
    action's own errors (Stripe unreachable) propagate, with nothing changed, for the queue to retry."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(pk=stripe_event_id)
        if event.processed_at:
            return False
        KINDS[event.type].act(**event.details)
        event.processed_at = timezone.now()
        event.attempts += 1
        event.failed_at, event.last_error = None, ""
        event.save(update_fields=["processed_at", "attempts", "failed_at", "last_error"])
    webhook_outcome(kind=event.type, result="processed")
    return True


def stripe_event_attempt_failed(*, stripe_event_id: int, error: BaseException, final: bool) -> None:
    """Note a failed attempt on the event (what went wrong; failed for good after the last try)."""
    event = StripeEvent.objects.filter(pk=stripe_event_id).first()
    if event is None:
        return
    event.attempts += 1
    event.last_error = f"{type(error).__name__}: {error}"[:255]
    event.failed_at = timezone.now() if final else None
    event.save(update_fields=["attempts", "last_error", "failed_at"])
    webhook_outcome(kind=event.type, result="failed" if final else "retried")

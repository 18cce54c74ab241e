"""Stripe webhook outcomes for Prometheus (served with the rest at /metrics, home.core.metrics):
`huddle_stripe_webhooks_total{type, result}`, counted where each outcome happens (the webhook
view, or the worker acting on the stored event).

Results: `processed` (acted on), `ignored` (a type we do not act on), `duplicate` (an event id
received before), `retried` (an attempt failed, another is queued), `failed` (the last attempt
failed: the coach sees it), `refused` (signed but of a shape we do not know), `bad_signature`.
The `type` label is one of the event types we act on, `other` or `unknown` (before the signature
is checked), so a sender cannot grow the label set.
"""

from prometheus_client import Counter

RESULTS = ("processed", "ignored", "duplicate", "retried", "failed", "refused", "bad_signature")

WEBHOOK_OUTCOMES = Counter("huddle_stripe_webhooks", "Stripe webhook events by type and outcome.", ["type", "result"])


def webhook_outcome(*, kind: str, result: str) -> None:
    from .stripe_events import KINDS

    if result not in RESULTS:
        raise ValueError(result)
    WEBHOOK_OUTCOMES.labels(type=kind if kind in KINDS or kind == "unknown" else "other", result=result).inc()

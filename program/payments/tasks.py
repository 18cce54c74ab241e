"""Background work of payments: acting on a stored Stripe event (program.payments.stripe_events)."""

from django_tasks import task
from django_tasks.base import TaskContext

from home.core.tasks import retry_policy, retrying

from .stripe_events import stripe_event_attempt_failed, stripe_event_handle

# Stripe's API may be away for a while: 12 tries with growing pauses (30 s, 1 min, ... 1 h) span
# about five hours; after that the event is listed for the coach with a retry button.
ATTEMPTS = 12


@task(takes_context=True)
@retrying(max_attempts=ATTEMPTS, base_delay=30.0, max_delay=3600.0, label="Stripe event")
def stripe_event_process(context: TaskContext, *, stripe_event_id: int) -> bool:
    try:
        return stripe_event_handle(stripe_event_id=stripe_event_id)
    except Exception as exc:
        policy = retry_policy(stripe_event_process.func)
        final = context.attempt >= policy.max_attempts
        stripe_event_attempt_failed(stripe_event_id=stripe_event_id, error=exc, final=final)
        raise

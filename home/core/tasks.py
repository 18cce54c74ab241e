"""Retry policy for background tasks (django-tasks), read by the worker (home.runtime.worker).

A task that talks to the outside (SMTP, an ESP, Stripe) is declared with `@retrying()` under
`@task()`: when it raises, the worker puts the same task result back in the queue with an
exponential backoff (30 s, 1 min, 2 min, ... capped) until `max_attempts`; after the last try it
stays FAILED and, when `outbound`, is listed for the coach ("N emails could not be sent") with a
retry button. Such a task must be idempotent: it may run again after a crash.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

POLICY_ATTRIBUTE = "_huddle_retry_policy"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 30.0
    max_delay: float = 1800.0
    outbound: bool = True  # shown to the coach after the last try
    label: str = "email"

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based), with +-20 % jitter."""
        delay = min(self.max_delay, self.base_delay * 2 ** max(0, attempt - 1))
        return delay * random.uniform(0.8, 1.2)  # noqa: S311 (jitter, not security)


def retrying(*, max_attempts: int = 6, base_delay: float = 30.0, max_delay: float = 1800.0, label: str = "email"):
    """Mark the function under `@task()` as retried with backoff (see the module docstring)."""

    def mark(func: Callable) -> Callable:
        setattr(
            func,
            POLICY_ATTRIBUTE,
            RetryPolicy(max_attempts=max_attempts, base_delay=base_delay, max_delay=max_delay, label=label),
        )
        return func

    return mark


def retry_policy(func: Callable) -> RetryPolicy | None:
    return getattr(func, POLICY_ATTRIBUTE, None)

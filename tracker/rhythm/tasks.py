"""The scheduler's entry point for the leader's month (SCHEDULED_TASKS["tracker-rhythm"], hourly)."""

from django_tasks import task

from home.core.tasks import retrying


@task()
@retrying(max_attempts=3, base_delay=60)
def rhythm_reminders_send_due() -> dict[str, int]:
    """Queue the rhythm reminders and digests that are due (exactly once each: see dispatch)."""
    from .dispatch import rhythm_reminders_send

    return rhythm_reminders_send()

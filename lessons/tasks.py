"""Background tasks of the lessons app (django-tasks), for the scheduler to enqueue."""

from django_tasks import task


@task()
def send_module_open_emails() -> int:
    """'Your next step is open' emails due now (idempotent; see lessons.notices)."""
    from .notices import module_open_notices_send

    return module_open_notices_send()

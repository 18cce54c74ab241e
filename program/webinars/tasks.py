"""Background work for webinars: transactional emails leave the request quickly."""

from django_tasks import task

from home.core.tasks import retrying

from .emails import build_webinar_email
from .models import WebinarRegistration


@task()
@retrying()
def webinar_email_send(*, registration_id: int, kind: str) -> None:
    """Send one transactional email (confirmation, waitlist, promotion, cancellation)."""
    registration = WebinarRegistration.objects.select_related("session__page").filter(pk=registration_id).first()
    if registration is None:
        return
    build_webinar_email(registration=registration, kind=kind).send()
    if kind in ("confirmation", "promoted"):
        WebinarRegistration.objects.filter(pk=registration_id).update(
            calendar_version=registration.session.schedule_version
        )


@task()
@retrying(max_attempts=3, base_delay=60)
def webinar_emails_send_due() -> dict[str, int]:
    """Reminders, replays and updates that are due (the scheduler enqueues this every minute)."""
    from .dispatch import webinar_emails_dispatch  # dispatch -> services -> this module

    return webinar_emails_dispatch()

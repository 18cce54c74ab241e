"""Background work for webinars: transactional emails leave the request quickly."""

from django_tasks import task

from .emails import build_webinar_email
from .models import WebinarRegistration


@task()
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

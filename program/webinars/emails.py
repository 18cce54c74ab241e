"""Every email a webinar registrant receives: HTML and text, with an .ics where it helps."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .ics import calendar_links, ics_attachment, registration_ics
from .models import WebinarRegistration
from .tokens import CANCEL_SALT, JOIN_SALT, make_token

SUBJECTS = {
    "confirmation": "You're registered: {title}",
    "waitlisted": "You're on the waitlist: {title}",
    "promoted": "A seat opened up for you: {title}",
    "update": "New time: {title}",
    "cancelled": "Your registration is cancelled: {title}",
    "session_cancelled": "Session called off: {title}",
    "reminder_24h": "Tomorrow: {title}",
    "reminder_1h": "Starting in one hour: {title}",
    "replay_attended": "Thanks for joining: the replay of {title}",
    "replay_missed": "Sorry we missed you: the replay of {title}",
}
# Kinds that carry the calendar invitation, and whether it cancels the event.
ICS_KINDS = {"confirmation": False, "promoted": False, "update": False, "cancelled": True, "session_cancelled": True}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def registration_links(registration: WebinarRegistration) -> dict[str, str]:
    return {
        "cancel_url": absolute(
            reverse("program:webinar_cancel", args=[make_token(registration.uuid, salt=CANCEL_SALT)])
        ),
        "join_link": absolute(reverse("program:webinar_join", args=[make_token(registration.uuid, salt=JOIN_SALT)])),
        "page_url": absolute(registration.session.page.url or "/"),
    }


def build_webinar_email(*, registration: WebinarRegistration, kind: str) -> EmailMultiAlternatives:
    """The message for `kind` (one of SUBJECTS, or a "followup" kind), times in the registrant's
    zone with the zone named."""
    if kind.startswith("followup"):
        from .followups import build_followup_email  # it builds on this module's helpers

        return build_followup_email(registration=registration, kind=kind)
    session = registration.session
    page = session.page
    local_start = timezone.localtime(session.starts_at, registration.zone)
    context = {
        "kind": kind,
        "registration": registration,
        "session": session,
        "page": page,
        "starts_local": local_start,
        "zone_name": str(registration.zone),
        **registration_links(registration),
    }
    if kind in ICS_KINDS and not ICS_KINDS[kind]:
        context.update(calendar_links(registration=registration, join_link=context["join_link"]))
    # Templates' date filters convert to the *active* zone: make it the registrant's, or the
    # worker's default (New York) clock would be printed next to the registrant's zone name.
    with timezone.override(registration.zone):
        body = render_to_string(f"webinars/email/{kind}.txt", context).strip()
        context["body"] = body
        text = render_to_string("webinars/email/message.txt", context)
        html = render_to_string("webinars/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind].format(title=page.title),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{registration.name} <{registration.email}>" if registration.name else registration.email],
    )
    message.attach_alternative(html, "text/html")
    if kind in ICS_KINDS:
        ics = registration_ics(registration=registration, join_link=context["join_link"], cancelled=ICS_KINDS[kind])
        message.attach(ics_attachment(ics, method="CANCEL" if ICS_KINDS[kind] else "REQUEST"))
    return message

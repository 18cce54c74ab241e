"""Follow-up by segment: once a session's attendance is final, each seated registrant gets the
one email the coach wrote for their segment (a WebinarFollowUp snippet), exactly once, through
dispatch.py's claim ledger under the kind "followup".

Segments, first match wins: already enrolled in the program (no discount, ever) / attended but
left early (fewer minutes than WEBINAR_LEFT_EARLY_SHARE of the session) / attended / missed.
Attendees' follow-ups can carry a single-use, time-limited discount code (program.offers; a
Stripe promotion code when payments are on).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from program.models import Enrollment, ProgramPage
from program.offers import offer_issue

from .models import WebinarFollowUp, WebinarOffer, WebinarRegistration
from .selectors import attendance_final_at, left_early_threshold

Segment = WebinarFollowUp.Segment
LEDGER_KIND = "followup"
WINDOW = timedelta(days=7)  # sessions that ended longer ago than this get no follow-up
OFFER_SEGMENTS = {Segment.ATTENDED, Segment.LEFT_EARLY}


def _enrolled(registrations: list[WebinarRegistration]) -> set[int]:
    """Registration ids whose person has an active enrollment (by account or by email)."""
    user_ids = {r.user_id for r in registrations if r.user_id}
    emails = {r.email.lower() for r in registrations}
    rows = Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).filter(
        Q(user_id__in=user_ids) | Q(user__email__in=emails)
    )
    enrolled_users, enrolled_emails = set(), set()
    for user_id, email in rows.values_list("user_id", "user__email"):
        enrolled_users.add(user_id)
        enrolled_emails.add(email.lower())
    return {r.pk for r in registrations if r.user_id in enrolled_users or r.email.lower() in enrolled_emails}


def segment_of(registration: WebinarRegistration, *, enrolled: bool) -> str:
    if enrolled:
        return Segment.ENROLLED
    if registration.attended_at is None:
        return Segment.MISSED
    minutes = registration.attended_minutes
    if minutes is not None and minutes < left_early_threshold(registration.session):
        return Segment.LEFT_EARLY
    return Segment.ATTENDED


def followup_templates_with_replay() -> set[str]:
    """Template kinds of the active follow-ups whose text carries the replay link ({replay_url})."""
    segments = WebinarFollowUp.objects.filter(is_active=True, body__contains="{replay_url}").values_list(
        "segment", flat=True
    )
    return {f"followup_{segment}" for segment in segments}


def followups_due(now) -> list[tuple[WebinarRegistration, str, str]]:
    """(registration, ledger kind, template kind) for the follow-ups due at `now`."""
    active = set(WebinarFollowUp.objects.filter(is_active=True).values_list("segment", flat=True))
    if not active:
        return []
    window_start = now - WINDOW - timedelta(minutes=settings.WEBINAR_ATTENDANCE_FINAL_AFTER_MINUTES)
    candidates = [
        reg
        for reg in WebinarRegistration.objects.select_related("session__page").filter(
            status=WebinarRegistration.Status.REGISTERED,
            session__is_cancelled=False,
            session__starts_at__lte=now,
            session__starts_at__gt=window_start - timedelta(days=1),
        )
        if attendance_final_at(reg.session) <= now
    ]
    enrolled = _enrolled(candidates)
    due = []
    for reg in candidates:
        segment = segment_of(reg, enrolled=reg.pk in enrolled)
        if segment in active:
            due.append((reg, LEDGER_KIND, f"followup_{segment}"))
    return due


def _offer(registration: WebinarRegistration, followup: WebinarFollowUp) -> WebinarOffer | None:
    existing = WebinarOffer.objects.filter(registration=registration).first()
    if existing or not followup.offer_percent_off or followup.segment not in OFFER_SEGMENTS:
        return existing
    offer = offer_issue(
        key=f"webinar-{registration.uuid}",
        email=registration.email,
        percent_off=followup.offer_percent_off,
        expires_at=timezone.now() + timedelta(days=followup.offer_valid_days),
    )
    if offer is None:
        return None
    return WebinarOffer.objects.create(
        registration=registration,
        code=offer.code,
        reference=offer.reference,
        percent_off=offer.percent_off,
        expires_at=offer.expires_at,
    )


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace known {placeholders}; anything else (unknown names, stray braces) stays as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def build_followup_email(*, registration: WebinarRegistration, kind: str) -> EmailMultiAlternatives:
    """The follow-up for the registrant's segment (`kind` "followup_<segment>", or "followup"
    to work it out now, e.g. for a claim taken over after a crash)."""
    segment = kind.removeprefix("followup").lstrip("_")
    if not segment:
        segment = segment_of(registration, enrolled=bool(_enrolled([registration])))
    followup = WebinarFollowUp.objects.filter(segment=segment).first() or WebinarFollowUp(
        segment=segment, subject="Thank you for registering: {webinar}", body="Thank you for registering, {name}."
    )
    offer = _offer(registration, followup) if segment in OFFER_SEGMENTS else None
    page = registration.session.page
    program = ProgramPage.objects.live().first()
    values = dict(
        name=registration.name,
        webinar=page.title,
        replay_url=registration.session.replay_url,
        program_url=program.get_full_url() if program else settings.SITE_URL + "/",
        offer_code=offer.code if offer else "",
        offer_percent=str(offer.percent_off) if offer else "",
        offer_expires=f"{timezone.localtime(offer.expires_at, registration.zone):%B %-d}" if offer else "",
    )
    body = fill(followup.body, values)
    context = {"body": body, "registration": registration, "page": page, "session": registration.session}
    message = EmailMultiAlternatives(
        subject=fill(followup.subject, values),
        body=render_to_string("webinars/email/followup.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{registration.name} <{registration.email}>" if registration.name else registration.email],
    )
    message.attach_alternative(render_to_string("webinars/email/followup.html", context), "text/html")
    return message

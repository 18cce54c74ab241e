"""Webinar registration rules: seats, the waitlist, cancelling, attendance, linking to users.

Every write locks the session row first (SELECT ... FOR UPDATE), so registrations for one
session happen one at a time and the seat count read inside the lock is always current:
capacity is never exceeded, however many people register at once.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from home.core.zones import is_known_zone

from .models import WebinarRegistration, WebinarSession
from .tasks import webinar_email_send

Status = WebinarRegistration.Status
ATTENDANCE_WINDOW_MINUTES = 30  # a join-link click this close to the session counts as attending


def _queue_email(registration: WebinarRegistration, kind: str) -> None:
    pk = registration.pk
    transaction.on_commit(lambda: webinar_email_send.enqueue(registration_id=pk, kind=kind))


def _lock_session(session_id: int) -> WebinarSession:
    try:
        return WebinarSession.objects.select_for_update().get(pk=session_id)
    except WebinarSession.DoesNotExist as exc:
        raise ValidationError("This session no longer exists. Please choose another date.") from exc


def _clean_zone(value: str) -> str:
    return value if is_known_zone(value) else ""


@transaction.atomic
def webinar_register(
    *,
    session_id: int,
    email: str,
    name: str,
    company: str = "",
    role: str = "",
    team_size: str = "",
    question: str = "",
    time_zone: str = "",
    user: User | None = None,
) -> WebinarRegistration:
    """Register `email` for the session: a seat while any is free, else the next place on the
    waitlist. Registering again with the same email is harmless: the one registration is kept
    (re-activated if it was cancelled) and a fresh confirmation email goes out.
    Raises ValidationError, with nothing changed, for a past, started or cancelled session."""
    session = _lock_session(session_id)
    now = timezone.now()
    if session.is_cancelled:
        raise ValidationError("This session has been cancelled. Please choose another date.")
    if session.starts_at <= now:
        raise ValidationError("This session has already started, so registration is closed.")
    email = (email or "").strip().lower()
    if user is None or not user.is_authenticated:
        user = User.objects.filter(email__iexact=email).first()
    registration = WebinarRegistration.objects.filter(session=session, email=email).first()
    if registration is None:
        registration = WebinarRegistration(session=session, email=email, created_at=now)
    registration.name = name.strip()
    registration.company = company.strip()
    registration.role = role.strip()
    registration.team_size = team_size.strip()
    registration.question = question.strip()
    registration.time_zone = _clean_zone(time_zone) or registration.time_zone
    registration.user = user or registration.user
    if registration.pk is None or registration.status == Status.CANCELLED:
        seated = session.registrations.filter(status=Status.REGISTERED).exclude(pk=registration.pk).count()
        if seated < session.capacity:
            registration.status = Status.REGISTERED
            registration.seated_at = now
            registration.calendar_version = session.schedule_version
        else:
            registration.status = Status.WAITLISTED
            registration.waitlisted_at = now
        registration.cancelled_at = None
    # The lock guarantees uniqueness; the session is locked and the user was just read, so neither
    # needs checking again; the uuid is a fresh uuid4.
    registration.full_clean(exclude=["session", "user", "uuid"], validate_unique=False, validate_constraints=False)
    registration.save()
    _queue_email(registration, "confirmation" if registration.status == Status.REGISTERED else "waitlisted")
    return registration


def _fill_from_waitlist(session: WebinarSession) -> list[WebinarRegistration]:
    """Promote the first people in line into free seats (session must be locked by the caller)."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    free = session.capacity - session.registrations.filter(status=Status.REGISTERED).count()
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")
        .select_for_update()[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.seated_at = now
        registration.calendar_version = session.schedule_version
        registration.save(update_fields=["status", "seated_at", "calendar_version"])
        _queue_email(registration, "promoted")
    return promoted


@transaction.atomic
def webinar_session_fill_from_waitlist(*, session_id: int) -> list[WebinarRegistration]:
    """After a coach raises the capacity: give the new seats to the waitlist, in order."""
    return _fill_from_waitlist(_lock_session(session_id))


@transaction.atomic
def webinar_registration_cancel(*, registration: WebinarRegistration) -> WebinarRegistration:
    """Cancel a registration; a freed seat goes to the first person waiting, who is emailed.
    Cancelling twice is harmless. Raises ValidationError for a session that is over."""
    session = _lock_session(registration.session_id)
    registration = WebinarRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return registration
    if session.starts_at <= timezone.now():
        raise ValidationError("This session has already taken place, so there is nothing to cancel.")
    was_seated = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_seated:
        _queue_email(registration, "cancelled")
        _fill_from_waitlist(session)
    return registration


@transaction.atomic
def webinar_registration_mark_attended(*, registration: WebinarRegistration, attended: bool = True) -> None:
    """Record (or clear) attendance; the first recorded time is kept."""
    registration = WebinarRegistration.objects.select_for_update().get(pk=registration.pk)
    if attended and registration.attended_at is None:
        registration.attended_at = timezone.now()
    elif not attended:
        registration.attended_at = None
        registration.attended_minutes = None
    registration.save(update_fields=["attended_at", "attended_minutes"])


def webinar_join(*, registration: WebinarRegistration) -> str:
    """The private join URL for a seated registrant; a click near the session records attendance.
    Raises ValidationError when the person may not join (cancelled, waitlisted, session over)."""
    session = registration.session
    if registration.status != Status.REGISTERED:
        raise ValidationError("This registration has no seat, so there is no join link for it.")
    if session.is_cancelled:
        raise ValidationError("This session has been cancelled.")
    if not session.join_url:
        raise ValidationError("The join link is not ready yet. It will be in your reminder email.")
    now = timezone.now()
    window = timezone.timedelta(minutes=ATTENDANCE_WINDOW_MINUTES)
    if now > session.ends_at + window:
        raise ValidationError("This session is over. The replay will be emailed to you.")
    if now >= session.starts_at - window and registration.attended_at is None:
        WebinarRegistration.objects.filter(pk=registration.pk, attended_at=None).update(attended_at=now)
    return session.join_url


def webinar_confirmation_resend(*, registration: WebinarRegistration) -> str:
    """Email the registrant their current state again (seat with invitation, or waitlist)."""
    kind = {Status.REGISTERED: "confirmation", Status.WAITLISTED: "waitlisted"}.get(registration.status, "cancelled")
    with transaction.atomic():
        _queue_email(registration, kind)
    return kind


def webinar_registrations_link_user(*, user: User, email: str | None = None) -> int:
    """Attach earlier registrations made with `email` (default: the user's) to the user (the funnel)."""
    email = email or user.email
    return WebinarRegistration.objects.filter(user__isnull=True, email__iexact=email).update(user=user)


@transaction.atomic
def webinar_attendance_mark(*, session_id: int, registration_ids: list[int], attended: bool = True) -> int:
    """Mark (or clear) attendance for several registrations of one session at once; ids of other
    sessions are ignored. The first recorded time is kept. Returns how many rows changed."""
    session = _lock_session(session_id)
    rows = session.registrations.filter(pk__in=registration_ids).exclude(status=Status.CANCELLED)
    if attended:
        return rows.filter(attended_at=None).update(attended_at=session.starts_at)
    return rows.exclude(attended_at=None).update(attended_at=None, attended_minutes=None)


@dataclass(frozen=True)
class AttendanceImportResult:
    matched: int
    newly_attended: int
    not_registered: list[str]


@transaction.atomic
def webinar_attendance_import(*, session_id: int, rows: list[tuple[str, int]]) -> AttendanceImportResult:
    """Record attendance from the meeting's participant export: `rows` are (email, minutes),
    one per person. Registrations matched by email (any case) are marked attended with their
    minutes; importing the same file twice changes nothing. Emails with no registration are
    returned, not created (someone joined from a forwarded link)."""
    session = _lock_session(session_id)
    minutes_by_email = {email.strip().lower(): int(minutes) for email, minutes in rows}
    registrations = list(
        session.registrations.filter(email__in=list(minutes_by_email)).exclude(status=Status.CANCELLED)
    )
    newly = 0
    for registration in registrations:
        minutes = minutes_by_email[registration.email.lower()]
        if registration.attended_at is None:
            registration.attended_at = session.starts_at
            newly += 1
        registration.attended_minutes = minutes
        registration.save(update_fields=["attended_at", "attended_minutes"])
    known = {r.email.lower() for r in registrations}
    return AttendanceImportResult(
        matched=len(registrations),
        newly_attended=newly,
        not_registered=sorted(email for email in minutes_by_email if email not in known),
    )

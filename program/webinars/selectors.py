"""Reads for webinar pages and the coach's views, each in a fixed number of queries."""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from program.models import Enrollment

from .models import WebinarIndexPage, WebinarPage, WebinarRegistration, WebinarSession

Status = WebinarRegistration.Status


def sessions_with_counts():
    """Sessions annotated with seated / waitlisted / cancelled / attended counts."""
    return WebinarSession.objects.annotate(
        seated=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
        waitlisted=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        cancelled=Count("registrations", filter=Q(registrations__status=Status.CANCELLED)),
        attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
    ).order_by("starts_at")


def _decorate(session) -> None:
    session.seats_left = max(session.capacity - session.seated, 0)
    session.nearly_full = 0 < session.seats_left <= max(3, session.capacity // 10)


def webinar_index_data(*, index_page: WebinarIndexPage) -> dict:
    """Upcoming webinars (with at least one open session), then past ones with a replay. Two queries."""
    now = timezone.now()
    pages = list(
        WebinarPage.objects.live()
        .child_of(index_page)
        .prefetch_related(Prefetch("sessions", queryset=sessions_with_counts()))
    )
    upcoming, past = [], []
    for page in pages:
        sessions = list(page.sessions.all())
        for session in sessions:
            _decorate(session)
        page.open_sessions = [s for s in sessions if s.is_open]
        page.past_sessions = [s for s in sessions if s.is_past and not s.is_cancelled]
        if page.open_sessions:
            upcoming.append(page)
        elif page.past_sessions:
            past.append(page)
    upcoming.sort(key=lambda p: p.open_sessions[0].starts_at)
    past.sort(key=lambda p: p.past_sessions[-1].starts_at, reverse=True)
    return {"upcoming_webinars": upcoming, "past_webinars": past, "now": now}


def webinar_page_data(*, page: WebinarPage) -> dict:
    """The page's sessions with seats left; the join URL is never part of this."""
    sessions = list(sessions_with_counts().filter(page=page).defer("join_url"))
    for session in sessions:
        _decorate(session)
    return {
        "sessions": sessions,
        "open_sessions": [s for s in sessions if s.is_open],
        "replay_sessions": [s for s in sessions if s.is_past and not s.is_cancelled and s.replay_url],
    }


def webinar_coach_overview() -> list[WebinarPage]:
    """Every webinar with its sessions' counts and the funnel (registered people, attended,
    later enrolled in a program). Three queries however many registrations there are."""
    later_enrolled = Enrollment.objects.filter(user_id=OuterRef("user_id"), enrolled_at__gt=OuterRef("created_at"))
    pages = list(WebinarPage.objects.order_by("title").prefetch_related(Prefetch("sessions", sessions_with_counts())))
    funnel = (
        WebinarRegistration.objects.exclude(status=Status.CANCELLED)
        .annotate(enrolled_later=Exists(later_enrolled))
        .values("session__page_id")
        .annotate(
            people=Count("email", distinct=True),
            attended=Count("email", filter=Q(attended_at__isnull=False), distinct=True),
            enrolled=Count("user_id", filter=Q(enrolled_later=True), distinct=True),
        )
    )
    by_page = {row["session__page_id"]: row for row in funnel}
    for page in pages:
        page.funnel = by_page.get(page.pk, {"people": 0, "attended": 0, "enrolled": 0})
        page.session_list = list(page.sessions.all())
    return pages


def webinar_session_registrations(*, session_id: int) -> tuple[WebinarSession, list[WebinarRegistration]]:
    """One session (with counts) and all its registrations in line order. Two queries.
    Raises Http404 for an unknown session."""
    session = get_object_or_404(sessions_with_counts().select_related("page"), pk=session_id)
    registrations = list(
        WebinarRegistration.objects.filter(session_id=session_id)
        .select_related("user")
        .order_by("status", "waitlisted_at", "created_at", "pk")
    )
    return session, registrations


def left_early_threshold(session: WebinarSession) -> int:
    """Minutes below which an attendee counts as having left early."""
    return math.ceil(session.duration_minutes * settings.WEBINAR_LEFT_EARLY_SHARE)


def attendance_final_at(session: WebinarSession):
    """When attendance for the session is final: replay and follow-up emails wait for it."""
    return session.ends_at + timedelta(minutes=settings.WEBINAR_ATTENDANCE_FINAL_AFTER_MINUTES)

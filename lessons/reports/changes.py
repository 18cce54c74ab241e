"""What changed since the coach last looked at the admin dashboard, and "Mark all as seen".

The panel counts what happened in [since, until): `since` is where the coach's previous "Mark all
as seen" stopped (the last 7 days on a first visit) and `until` is the moment the panel was drawn.
The button sends that `until` back, so whatever arrives while the coach reads is still new on her
next visit: looking never loses anything, only the button moves the mark. Nine queries at most,
whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Count, DateTimeField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from home.newsletter.models import NewsletterSubscriber
from home.runtime.selectors import failed_outbound_tasks
from program.certificates.models import Certificate
from program.models import Enrollment
from program.webinars.models import WebinarRegistration

from ..models import DashboardSeen, LessonProgress, ReflectionAnswer
from .learners import STUCK_DAYS

FIRST_LOOK = timedelta(days=7)


@dataclass(frozen=True)
class Change:
    key: str
    count: int
    one: str  # "new enrollment"
    many: str  # "new enrollments" (and for none)
    url: str

    @property
    def label(self) -> str:
        return self.one if self.count == 1 else self.many


@dataclass(frozen=True)
class Changes:
    since: datetime
    until: datetime
    first_look: bool
    rows: list[Change]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _per_program(queryset) -> dict[int, int]:
    return {row["program_id"]: row["n"] for row in queryset.values("program_id").annotate(n=Count("pk"))}


def _learners_url(counts: dict[int, int], **query) -> str:
    """The learner report when every change is in one program, else the list of programs."""
    if len(counts) == 1:
        (program_id,) = counts
        url = reverse("program_report_learners", args=[program_id])
        return f"{url}?{urlencode(query)}" if query else url
    return reverse("program_reports")


def _became_stuck(*, since: datetime, until: datetime):
    """Active, unfinished enrollments whose last progress (enrolment or a completed lesson) crossed
    the report's STUCK_DAYS mark within [since, until): not stuck at `since`, stuck at `until`.
    (The report's other stuck test, no activity at all, is implied by this one.)"""
    last_done = (
        LessonProgress.objects.filter(user_id=OuterRef("user_id"), program_id=OuterRef("program_id"))
        .values("user_id")
        .annotate(last=Max("completed_at"))
        .values("last")
    )
    last_progress = Greatest("enrolled_at", Coalesce(Subquery(last_done), "enrolled_at"), output_field=DateTimeField())
    return (
        Enrollment.objects.filter(status=Enrollment.Status.ACTIVE, completed_at__isnull=True)
        .annotate(last_progress=last_progress)
        .filter(
            last_progress__gte=since - timedelta(days=STUCK_DAYS), last_progress__lt=until - timedelta(days=STUCK_DAYS)
        )
    )


def changes_since_last_look(*, user, now: datetime | None = None) -> Changes:
    """Counts of what happened since `user` last marked the dashboard as seen, each with a link to
    the report that lists them. A fixed number of queries (at most nine)."""
    until = now or timezone.now()
    seen = DashboardSeen.objects.filter(user=user).values_list("seen_until", flat=True).first()
    since = seen or until - FIRST_LOOK
    window = {"__gte": since, "__lt": until}

    def when(field: str) -> Q:
        return Q(**{field + op: value for op, value in window.items()})

    enrolled = _per_program(Enrollment.objects.filter(when("enrolled_at")))
    completed = _per_program(LessonProgress.objects.filter(when("completed_at")))
    stuck = _per_program(_became_stuck(since=since, until=until))
    reflections = ReflectionAnswer.objects.filter(when("updated_at"), user__reflection_sharing__share_with_coach=True)
    registrations = WebinarRegistration.objects.filter(when("created_at")).exclude(
        status=WebinarRegistration.Status.CANCELLED
    )
    subscribers = NewsletterSubscriber.objects.filter(
        when("confirmed_at"), status=NewsletterSubscriber.Status.CONFIRMED
    )
    failed = [task for task in failed_outbound_tasks() if task.finished_at and since <= task.finished_at < until]
    local_day = timezone.localtime(since).date().isoformat()
    rows = [
        Change(
            "enrollments",
            sum(enrolled.values()),
            "new enrollment",
            "new enrollments",
            _learners_url(enrolled, enrolled_from=local_day),
        ),
        Change(
            "completions", sum(completed.values()), "lesson completed", "lessons completed", _learners_url(completed)
        ),
        Change(
            "certificates",
            Certificate.objects.filter(when("issued_at")).count(),
            "certificate issued",
            "certificates issued",
            _certificates_url(),
        ),
        Change(
            "registrations",
            registrations.count(),
            "webinar registration",
            "webinar registrations",
            reverse("webinar_admin_overview"),
        ),
        Change(
            "subscribers",
            subscribers.count(),
            "newsletter sign-up (confirmed)",
            "newsletter sign-ups (confirmed)",
            reverse("newsletter_subscribers:index") + "?status=confirmed",
        ),
        Change(
            "failed_emails",
            len(failed),
            "email that could not be sent",
            "emails that could not be sent",
            reverse("runtime_failed_work"),
        ),
        Change(
            "reflections",
            reflections.count(),
            "reflection shared with you",
            "reflections shared with you",
            reverse("shared_reflections") + "?" + urlencode({"since": since.isoformat(), "until": until.isoformat()}),
        ),
        Change(
            "stuck",
            sum(stuck.values()),
            f"leader stuck for {STUCK_DAYS} days",
            f"leaders stuck for {STUCK_DAYS} days",
            _learners_url(stuck, stuck=1),
        ),
    ]
    return Changes(since=since, until=until, first_look=seen is None, rows=rows)


def _certificates_url() -> str:
    return reverse("admin:certificates_certificate_changelist")


@transaction.atomic
def dashboard_mark_seen(*, user, until: datetime, now: datetime | None = None) -> datetime:
    """Move `user`'s mark to `until` (the moment the panel they read was drawn), never past now
    and never backwards (an old tab's button leaves a newer mark alone). Returns the mark."""
    until = min(until, now or timezone.now())
    seen, created = DashboardSeen.objects.select_for_update().get_or_create(user=user, defaults={"seen_until": until})
    if not created and until > seen.seen_until:
        seen.seen_until = until
        seen.save(update_fields=["seen_until"])
    return seen.seen_until

"""What changed since the coach last looked at the admin dashboard, and "Mark all as seen".

The panel counts what happened in [since, until): `since` is where the coach's previous "Mark all
as seen" stopped (the last 7 days on a first visit) and `until` is the moment the panel was drawn.
The button sends that `until` back, so whatever arrives while the coach reads is still new on her
next visit: looking never loses anything, only the button moves the mark. One query (the mark and
every count as scalar subqueries), whatever the amount of data; a second only when some background
task failed for good (to tell the failed emails from the rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from home.newsletter.models import NewsletterSubscriber
from home.runtime.selectors import any_failed_task_exists, failed_outbound_tasks
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
    failed: list = field(default_factory=list)  # the failed outbound tasks (all, not just the window's)
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


_AGGREGATES = {  # fixed SQL around a subquery's rows (no text from outside goes in)
    "count": "(SELECT COUNT(*) FROM (%(subquery)s) _rows)",
    "programs": "(SELECT COUNT(DISTINCT program_id) FROM (%(subquery)s) _rows)",
    "first_program": "(SELECT MIN(program_id) FROM (%(subquery)s) _rows)",
}


def _over(queryset, aggregate: str) -> Subquery:
    """One of `_AGGREGATES` over the rows of `queryset`, as one scalar subquery."""
    return Subquery(queryset, template=_AGGREGATES[aggregate], output_field=IntegerField())


def _per_program(name: str, queryset) -> dict:
    """Three scalars about `queryset`'s rows: how many, in how many programs, and the first
    program (the report to link when they are all in one)."""
    rows = queryset.values("program_id")
    return {
        f"{name}_n": _over(rows, "count"),
        f"{name}_programs": _over(rows, "programs"),
        f"{name}_program": _over(rows, "first_program"),
    }


def _learners_url(facts: dict, name: str, **query) -> str:
    """The learner report when every change is in one program, else the list of programs."""
    if facts[f"{name}_programs"] == 1:
        url = reverse("program_report_learners", args=[facts[f"{name}_program"]])
        return f"{url}?{urlencode(query)}" if query else url
    return reverse("program_reports")


def _became_stuck(*, since, until: datetime):
    """Active, unfinished enrollments whose last progress (enrolment or a completed lesson) crossed
    the report's STUCK_DAYS mark within [since, until): not stuck at `since`, stuck at `until`.
    (The report's other stuck test, no activity at all, is implied by this one.) `since` may be an
    expression (the outer query's mark)."""
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
        .filter(last_progress__gte=since, last_progress__lt=until - timedelta(days=STUCK_DAYS))
    )


def _counts(*, until: datetime) -> dict:
    """Every count of the panel as scalar subqueries over the outer query's `since` (and the
    stuck window's start, `stuck_from`): one query for the whole panel."""
    since = OuterRef("since")

    def when(field: str) -> Q:
        return Q(**{field + "__gte": since, field + "__lt": until})

    return {
        **_per_program("enrolled", Enrollment.objects.filter(when("enrolled_at"))),
        **_per_program("completed", LessonProgress.objects.filter(when("completed_at"))),
        **_per_program("stuck", _became_stuck(since=OuterRef("stuck_from"), until=until)),
        "certificates_n": _over(Certificate.objects.filter(when("issued_at")).values("pk"), "count"),
        "registrations_n": _over(
            WebinarRegistration.objects.filter(when("created_at"))
            .exclude(status=WebinarRegistration.Status.CANCELLED)
            .values("pk"),
            "count",
        ),
        "subscribers_n": _over(
            NewsletterSubscriber.objects.filter(
                when("confirmed_at"), status=NewsletterSubscriber.Status.CONFIRMED
            ).values("pk"),
            "count",
        ),
        "reflections_n": _over(
            ReflectionAnswer.objects.filter(when("updated_at"), user__reflection_sharing__share_with_coach=True).values(
                "pk"
            ),
            "count",
        ),
    }


def changes_since_last_look(*, user, now: datetime | None = None, extra: dict | None = None) -> Changes:
    """Counts of what happened since `user` last marked the dashboard as seen, each with a link to
    the report that lists them. One query (the mark and every count), plus one reading the failed
    emails only when some task failed for good. `extra` ({name: expression}) rides along in the
    same query; its values come back in `Changes.extra`."""
    until = now or timezone.now()
    mark = DashboardSeen.objects.filter(user=OuterRef("pk")).values("seen_until")[:1]
    annotations = {"any_failed": failed} if (failed := any_failed_task_exists()) is not None else {}
    facts = (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .annotate(seen=Subquery(mark, output_field=DateTimeField()))
        .annotate(since=Coalesce("seen", Value(until - FIRST_LOOK), output_field=DateTimeField()))
        .annotate(
            stuck_from=ExpressionWrapper(F("since") - Value(timedelta(days=STUCK_DAYS)), output_field=DateTimeField())
        )
        .annotate(**_counts(until=until), **annotations, **(extra or {}))
        .values("seen", "since", *_counts(until=until), *annotations, *(extra or {}))
        .get()
    )
    since = facts["since"]
    failed_rows = failed_outbound_tasks() if facts.get("any_failed") else []
    in_window = [task for task in failed_rows if task.finished_at and since <= task.finished_at < until]
    local_day = timezone.localtime(since).date().isoformat()
    rows = [
        Change(
            "enrollments",
            facts["enrolled_n"],
            "new enrollment",
            "new enrollments",
            _learners_url(facts, "enrolled", enrolled_from=local_day),
        ),
        Change(
            "completions",
            facts["completed_n"],
            "lesson completed",
            "lessons completed",
            _learners_url(facts, "completed"),
        ),
        Change(
            "certificates",
            facts["certificates_n"],
            "certificate issued",
            "certificates issued",
            _certificates_url(since=since, until=until),
        ),
        Change(
            "registrations",
            facts["registrations_n"],
            "webinar registration",
            "webinar registrations",
            reverse("webinar_admin_overview"),
        ),
        Change(
            "subscribers",
            facts["subscribers_n"],
            "newsletter sign-up (confirmed)",
            "newsletter sign-ups (confirmed)",
            reverse("newsletter_subscribers:index") + "?status=confirmed",
        ),
        Change(
            "failed_emails",
            len(in_window),
            "email that could not be sent",
            "emails that could not be sent",
            reverse("runtime_failed_work"),
        ),
        Change(
            "reflections",
            facts["reflections_n"],
            "reflection shared with you",
            "reflections shared with you",
            reverse("shared_reflections") + "?" + urlencode({"since": since.isoformat(), "until": until.isoformat()}),
        ),
        Change(
            "stuck",
            facts["stuck_n"],
            f"leader stuck for {STUCK_DAYS} days",
            f"leaders stuck for {STUCK_DAYS} days",
            _learners_url(facts, "stuck", stuck=1),
        ),
    ]
    return Changes(
        since=since,
        until=until,
        first_look=facts["seen"] is None,
        rows=rows,
        failed=failed_rows,
        extra={name: facts[name] for name in extra or {}},
    )


def _certificates_url(*, since: datetime, until: datetime) -> str:
    """The coach's certificates report, narrowed to the panel's exact window (what it counted)."""
    return reverse("certificates_report") + "?" + urlencode({"since": since.isoformat(), "until": until.isoformat()})


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

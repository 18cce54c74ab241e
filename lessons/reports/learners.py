"""Who is enrolled in a program, how far they got and who is stuck (4 queries per program)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from program.models import Enrollment, ProgramPage

from ..models import LessonProgress
from ..selectors import ModuleItem, program_outline
from .export import to_csv

STUCK_DAYS = 14


@dataclass
class LearnerRow:
    enrollment: Enrollment
    done: int
    total: int
    last_activity: datetime
    last_progress: datetime
    current_module: ModuleItem | None
    stuck: bool

    @property
    def user(self):
        return self.enrollment.user

    @property
    def percent(self) -> int:
        if self.enrollment.completed_at is not None:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


def learner_report(
    *,
    program: ProgramPage,
    stuck_only: bool = False,
    now: datetime | None = None,
    enrolled_from: datetime | None = None,
    enrolled_before: datetime | None = None,
    stuck_days: int = STUCK_DAYS,
) -> list[LearnerRow]:
    """Every leader enrolled in `program` (within [enrolled_from, enrolled_before) when given) with
    progress %, last activity and completion date (3 queries: outline, enrollments, progress).

    Stuck = enrolled, active, not complete, and either no activity for `stuck_days` days, or no
    lesson completed for `stuck_days` days (still on the same module)."""
    now = now or timezone.now()
    modules = program_outline(program)
    required = {lesson.id: module for module in modules for lesson in module.lessons if lesson.required}
    enrollments = Enrollment.objects.filter(program=program)
    if enrolled_from is not None:
        enrollments = enrollments.filter(enrolled_at__gte=enrolled_from)
    if enrolled_before is not None:
        enrollments = enrollments.filter(enrolled_at__lt=enrolled_before)
    in_range = enrollments.values("user_id")
    enrollments = list(enrollments.select_related("user").order_by("enrolled_at"))
    last_open: dict[int, datetime] = {}
    last_done: dict[int, datetime] = {}
    completed: dict[int, set[int]] = defaultdict(set)
    for user_id, lesson_id, opened, done in LessonProgress.objects.filter(
        program=program, user_id__in=in_range
    ).values_list("user_id", "lesson_id", "last_opened_at", "completed_at"):  # activity and progress
        if opened is not None and (user_id not in last_open or opened > last_open[user_id]):
            last_open[user_id] = opened
        if done is not None:
            if user_id not in last_done or done > last_done[user_id]:
                last_done[user_id] = done
            if lesson_id in required:
                completed[user_id].add(lesson_id)
    cutoff = now - timedelta(days=stuck_days)
    rows = []
    for enrollment in enrollments:
        opened, done = last_open.get(enrollment.user_id), last_done.get(enrollment.user_id)
        last_activity = max(d for d in (enrollment.enrolled_at, opened, done) if d)
        last_progress = max(d for d in (enrollment.enrolled_at, done) if d)
        done_ids = completed.get(enrollment.user_id, set())
        current = next((module for lesson_id, module in required.items() if lesson_id not in done_ids), None)
        if enrollment.completed_at is not None:
            current = None  # completed stays completed, whatever was added since
        stuck = (
            enrollment.is_active
            and enrollment.completed_at is None
            and (last_activity < cutoff or last_progress < cutoff)
        )
        row = LearnerRow(
            enrollment=enrollment,
            done=len(done_ids),
            total=len(required),
            last_activity=last_activity,
            last_progress=last_progress,
            current_module=current,
            stuck=stuck,
        )
        if row.stuck or not stuck_only:
            rows.append(row)
    return rows


def learner_csv(rows: list[LearnerRow]) -> str:
    """Dates and times in the current time zone (the coach's, as on the page), named in the header."""
    zone = timezone.get_current_timezone_name()
    local = timezone.localtime
    header = [
        "Name",
        "Email",
        "Company",
        "Status",
        f"Enrolled ({zone})",
        "Progress %",
        "Current module",
        f"Last activity ({zone})",
        f"Completed ({zone})",
        "Stuck",
    ]
    return to_csv(
        header,
        [
            [
                r.user.full_name,
                r.user.email,
                r.user.company,
                r.enrollment.status,
                f"{local(r.enrollment.enrolled_at):%Y-%m-%d}",
                r.percent,
                r.current_module.title if r.current_module else "",
                f"{local(r.last_activity):%Y-%m-%d %H:%M}",
                f"{local(r.enrollment.completed_at):%Y-%m-%d}" if r.enrollment.completed_at else "",
                "yes" if r.stuck else "",
            ]
            for r in rows
        ],
    )

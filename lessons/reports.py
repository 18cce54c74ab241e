"""Coach reports: who is enrolled and how far they got, who is stuck, which questions people miss.

Each report is a fixed number of queries per program. CSV cells are made formula-safe.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from home.core.spreadsheet import safe_cell
from program.models import Enrollment, ProgramPage

from .models import LessonPage, LessonProgress, QuizAttempt
from .selectors import ModuleItem, program_outline

STUCK_DAYS = 14


def to_csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


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
        return min(100, self.done * 100 // self.total) if self.total else 0


def learner_report(*, program: ProgramPage, stuck_only: bool = False, now: datetime | None = None) -> list[LearnerRow]:
    """Every enrolled leader with progress %, last activity and completion date (4 queries).

    Stuck = enrolled, active, not complete, and either no activity for 14 days, or no lesson
    completed for 14 days (still on the same module)."""
    now = now or timezone.now()
    modules = program_outline(program)
    required = {lesson.id: module for module in modules for lesson in module.lessons if lesson.required}
    enrollments = list(Enrollment.objects.filter(program=program).select_related("user").order_by("enrolled_at"))
    activity = {
        row["user_id"]: row
        for row in LessonProgress.objects.filter(program=program)
        .values("user_id")
        .annotate(last_open=Max("last_opened_at"), last_done=Max("completed_at"))
    }
    completed: dict[int, set[int]] = defaultdict(set)
    for user_id, lesson_id in LessonProgress.objects.filter(
        program=program, completed_at__isnull=False, lesson_id__in=list(required)
    ).values_list("user_id", "lesson_id"):
        completed[user_id].add(lesson_id)
    cutoff = now - timedelta(days=STUCK_DAYS)
    rows = []
    for enrollment in enrollments:
        info = activity.get(enrollment.user_id, {})
        last_activity = max(d for d in (enrollment.enrolled_at, info.get("last_open"), info.get("last_done")) if d)
        last_progress = max(d for d in (enrollment.enrolled_at, info.get("last_done")) if d)
        done_ids = completed.get(enrollment.user_id, set())
        current = next((module for lesson_id, module in required.items() if lesson_id not in done_ids), None)
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
    header = [
        "Name",
        "Email",
        "Company",
        "Status",
        "Enrolled",
        "Progress %",
        "Current module",
        "Last activity",
        "Completed",
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
                f"{r.enrollment.enrolled_at:%Y-%m-%d}",
                r.percent,
                r.current_module.title if r.current_module else "",
                f"{r.last_activity:%Y-%m-%d %H:%M}",
                f"{r.enrollment.completed_at:%Y-%m-%d}" if r.enrollment.completed_at else "",
                "yes" if r.stuck else "",
            ]
            for r in rows
        ],
    )


@dataclass
class QuestionRow:
    lesson: LessonPage
    question: str
    attempts: int
    correct: int
    common_wrong: str

    @property
    def missed(self) -> int:
        return self.attempts - self.correct

    @property
    def miss_rate(self) -> int:
        return round(self.missed * 100 / self.attempts) if self.attempts else 0


def quiz_report(*, program: ProgramPage) -> list[QuestionRow]:
    """Per knowledge-check question: attempts, right answers, the most chosen wrong option.
    Most-missed first (2 queries)."""
    lessons = list(LessonPage.objects.live().descendant_of(program).order_by("path"))
    tallies: dict[str, dict] = defaultdict(lambda: {"attempts": 0, "correct": 0, "wrong": Counter()})
    for answers in QuizAttempt.objects.filter(program=program).values_list("answers", flat=True):
        for key, result in (answers or {}).items():
            tally = tallies[key]
            tally["attempts"] += 1
            if result.get("correct"):
                tally["correct"] += 1
            else:
                tally["wrong"].update(result.get("chosen") or [])
    rows = []
    for lesson in lessons:
        for block in lesson.knowledge_checks:
            for index, question in enumerate(block.value["questions"]):
                tally = tallies.get(f"{block.id}-{index}")
                if not tally:
                    rows.append(QuestionRow(lesson, question["question"], 0, 0, ""))
                    continue
                options = list(question["options"])
                wrong = ""
                for option_index, _count in tally["wrong"].most_common():
                    if option_index < len(options) and not options[option_index]["correct"]:
                        wrong = options[option_index]["text"]
                        break
                rows.append(QuestionRow(lesson, question["question"], tally["attempts"], tally["correct"], wrong))
    rows.sort(key=lambda r: (-r.miss_rate, r.lesson.path))
    return rows


def quiz_csv(rows: list[QuestionRow]) -> str:
    header = ["Lesson", "Question", "Attempts", "Correct", "Missed", "Miss rate %", "Most chosen wrong answer"]
    return to_csv(
        header,
        [[r.lesson.title, r.question, r.attempts, r.correct, r.missed, r.miss_rate, r.common_wrong] for r in rows],
    )

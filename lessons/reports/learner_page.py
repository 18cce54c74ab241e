"""One leader in one program, as the coach sees them: the learner page (a fixed number of queries).

Reflections are shown only when the leader chose to share them (`ReflectionSharing`); otherwise
the coach sees how many there are, not what they say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import Http404

from accounts.export_rows import rows_in_one_query
from accounts.models import User
from accounts.roles import coach_answer_of, remember_coach_answer
from program.models import Enrollment, ProgramPage

from ..models import Commitment, LessonProgress, ModuleUnlock, Nudge, QuizAttempt, ReflectionAnswer
from ..selectors import ProgramState, modules_with_progress, program_states, program_structures
from ..selectors.rows import ProgressRow


@dataclass
class LearnerPage:
    """What the learner page shows. The lists hold plain rows (dicts) from one query."""

    learner: User
    enrollment: Enrollment
    state: ProgramState
    last_activity: datetime
    quiz_results: list[dict]  # newest first
    reflections_shared: bool
    reflections: list[dict]  # empty unless shared
    reflection_count: int
    commitments: list[dict]
    unlocks: list[dict]
    certificate: object | None
    nudges: list[dict]  # newest first

    @property
    def open_commitments(self) -> int:
        return sum(1 for commitment in self.commitments if commitment["done_at"] is None)


def learner_page(*, program: ProgramPage, learner_id: int) -> LearnerPage:
    """Everything the coach's learner page shows in 2 queries whatever the leader did (one more
    when the program outline is not cached): the enrollment with the leader, their sharing choice
    and certificate, then every row about them in one UNION. Raises Http404 when the leader was
    never enrolled in `program` (revoked enrollments are shown too). Reflection text is read
    only when the leader shares it with the coach."""
    enrollment = (
        Enrollment.objects.select_related("user", "user__reflection_sharing", "certificate")
        .annotate(learner_is_coach=coach_answer_of("user_id"))
        .filter(program=program, user_id=learner_id)
        .first()
    )
    if enrollment is None:
        raise Http404("This leader is not enrolled in this program.")
    learner = enrollment.user
    remember_coach_answer(learner, enrollment.learner_is_coach)  # program_states asks, no extra query
    sharing = getattr(learner, "reflection_sharing", None)
    shared = bool(sharing and sharing.share_with_coach)
    in_program = Q(lesson__path__startswith=program.path)
    reflection_fields = {"id": "id"}
    if shared:
        reflection_fields |= {"prompt": "prompt", "answer": "answer", "lesson": "lesson__title", "path": "lesson__path"}
        reflection_fields |= {"updated_at": "updated_at"}
    rows = rows_in_one_query(
        {
            "progress": (
                LessonProgress.objects.filter(user=learner, program=program),
                {"lesson_id": "lesson_id", "completed_at": "completed_at", "last_opened_at": "last_opened_at"}
                | {"best_score": "best_score"},
                ("lesson_id",),
            ),
            "unlocks": (
                ModuleUnlock.objects.filter(
                    Q(user=learner) | Q(user__isnull=True), module__path__startswith=program.path
                ),
                {"module_id": "module_id", "module": "module__title", "for_everyone": "user_id"}
                | {"by": "unlocked_by__full_name", "created_at": "created_at"},
                ("created_at",),
            ),
            "quiz": (
                QuizAttempt.objects.filter(user=learner, program=program),
                {"id": "id", "lesson": "lesson__title", "score": "score", "passed": "passed"}
                | {"created_at": "created_at"},
                ("created_at", "id"),
            ),
            "reflections": (
                ReflectionAnswer.objects.filter(in_program, user=learner),
                reflection_fields,
                ("path", "id") if shared else ("id",),
            ),
            "commitments": (
                Commitment.objects.filter(in_program, user=learner),
                {"id": "id", "action": "action", "lesson": "lesson__title", "tracker_step": "tracker_step"}
                | {"created_at": "created_at", "done_at": "done_at"},
                ("created_at", "id"),
            ),
            "nudges": (
                Nudge.objects.filter(learner=learner),
                {"id": "id", "subject": "subject", "body": "body", "reason": "reason", "coach": "coach__full_name"}
                | {"coach_id": "coach_id", "created_at": "created_at"},
                ("created_at", "id"),
            ),
        }
    )
    progress = {
        row["lesson_id"]: ProgressRow(row["lesson_id"], row["completed_at"], row["last_opened_at"], row["best_score"])
        for row in rows["progress"]
    }
    for unlock in rows["unlocks"]:
        unlock["for_everyone"] = unlock["for_everyone"] is None
    outlines = modules_with_progress(
        program_structures([program]), progress, {unlock["module_id"] for unlock in rows["unlocks"]}
    )
    [state] = program_states(user=learner, programs=[program], enrollments={program.pk: enrollment}, outlines=outlines)
    times = [enrollment.enrolled_at]
    times += [t for row in progress.values() for t in (row.completed_at, row.last_opened_at) if t]
    times += [row["created_at"] for row in rows["quiz"] + rows["commitments"]]
    times += [row["done_at"] for row in rows["commitments"] if row["done_at"]]
    times += [row["updated_at"] for row in rows["reflections"] if shared]
    return LearnerPage(
        learner=learner,
        enrollment=enrollment,
        state=state,
        last_activity=max(times),
        quiz_results=rows["quiz"][::-1],
        reflections_shared=shared,
        reflections=rows["reflections"] if shared else [],
        reflection_count=len(rows["reflections"]),
        commitments=rows["commitments"],
        unlocks=rows["unlocks"],
        certificate=getattr(enrollment, "certificate", None),
        nudges=rows["nudges"][::-1],
    )

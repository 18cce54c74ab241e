"""Privacy for lessons: the leader's learning record in "download my data", and what deleting
the account removes: everything personal; quiz attempts stay, without the person, for the
anonymous quiz statistics."""

from accounts.export import plain, register_exporter
from accounts.export_rows import rows_in_one_query
from accounts.signals import account_deleting

from .models import (
    Commitment,
    LessonProgress,
    ModuleUnlock,
    Nudge,
    QuizAttempt,
    ReflectionAnswer,
    ReflectionSharing,
)

LESSON = {"id": "id", "lesson_id": "lesson_id", "lesson": "lesson__title"}


def lessons_export(user) -> dict:
    """The user's progress per lesson (with dates), quiz attempts, reflection answers, commitments
    and modules the coach opened early for them. One query, however many lessons."""
    return plain(
        rows_in_one_query(
            {
                "progress": (
                    LessonProgress.objects.filter(user=user),
                    {
                        **LESSON,
                        "program": "program__title",
                        "first_opened_at": "first_opened_at",
                        "last_opened_at": "last_opened_at",
                        "completed_at": "completed_at",
                        "best_score": "best_score",
                        "attempts": "attempts",
                    },
                    ("first_opened_at", "id"),
                ),
                "quiz_attempts": (
                    QuizAttempt.objects.filter(user=user),
                    {**LESSON, "score": "score", "passed": "passed", "answers": "answers", "created_at": "created_at"},
                    ("created_at", "id"),
                ),
                "reflections": (
                    ReflectionAnswer.objects.filter(user=user),
                    {
                        **LESSON,
                        "prompt": "prompt",
                        "answer": "answer",
                        "created_at": "created_at",
                        "updated_at": "updated_at",
                    },
                    ("created_at", "id"),
                ),
                "commitments": (
                    Commitment.objects.filter(user=user),
                    {
                        **LESSON,
                        "action": "action",
                        "tracker_step": "tracker_step",
                        "created_at": "created_at",
                        "done_at": "done_at",
                    },
                    ("created_at", "id"),
                ),
                "reflection_sharing": (
                    ReflectionSharing.objects.filter(user=user),
                    {"share_with_coach": "share_with_coach", "updated_at": "updated_at"},
                    ("updated_at",),
                ),
                "nudges_received": (
                    Nudge.objects.filter(learner=user),
                    {
                        "id": "id",
                        "reason": "reason",
                        "subject": "subject",
                        "body": "body",
                        "link": "link",
                        "created_at": "created_at",
                    },
                    ("created_at", "id"),
                ),
                "modules_opened_early": (
                    ModuleUnlock.objects.filter(user=user),
                    {"id": "id", "module": "module__title", "created_at": "created_at"},
                    ("created_at", "id"),
                ),
            }
        )
    )


def lessons_account_deleting(sender, user, **kwargs) -> None:
    """Remove the leader's learning record. The user FKs cascade anyway; deleting here keeps the
    rule visible in one place and costs one query per table."""
    for model in (Commitment, ReflectionAnswer, LessonProgress, ModuleUnlock):
        model.objects.filter(user=user).delete()
    # Quiz attempts stay in the anonymous statistics (which questions people miss), without the person.
    QuizAttempt.objects.filter(user=user).update(user=None)
    Nudge.objects.filter(learner=user).delete()
    ReflectionSharing.objects.filter(user=user).delete()


# Registered on import: the AppConfig imports this module in ready().
register_exporter("lessons", lessons_export)
account_deleting.connect(lessons_account_deleting, dispatch_uid="lessons.privacy")

"""Writes for lessons: opening, completing, quizzes, reflections, commitments, program completion.

Every service checks access itself (the lesson's full body must be visible to the leader and the
leader must be enrolled) and raises `LessonError` with a message for the leader when it refuses;
nothing is written in that case.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from program.models import Enrollment, EnrollmentEvent
from program.signals import program_completed

from .models import Commitment, LessonPage, LessonProgress, QuizAttempt, ReflectionAnswer, ReflectionSharing
from .nudges import NudgeError, nudge_send  # noqa: F401  (re-exported: nudges live in .nudges)
from .selectors import LessonView, lesson_view, program_state


class LessonError(Exception):
    """A refusal with a message fit to show the leader."""


def _trackable(*, user: User, lesson: LessonPage) -> LessonView:
    if not user.is_authenticated:
        raise LessonError("Log in to save your progress.")
    view = lesson_view(user=user, lesson=lesson)
    if view.lesson is None:
        raise LessonError("This lesson is not available.")
    if not view.can_track:
        if view.access == "locked":
            raise LessonError("This module is not open for you yet.")
        raise LessonError("Enrol in the program to save your progress on this lesson.")
    return view


OPEN_RESOLUTION = timedelta(minutes=1)


def lesson_open(
    *, user: User, lesson: LessonPage, program_id: int, exists: bool, last_opened_at: datetime | None = None
) -> None:
    """Record that `user` opened `lesson` now (first and last opened). One query at most: none
    when `last_opened_at` (what the caller already read) is under a minute old, so reloading a
    page does not write. Callers have already checked access (the lesson page view)."""
    now = timezone.now()
    if exists and last_opened_at is not None and now - last_opened_at < OPEN_RESOLUTION:
        return
    if exists and LessonProgress.objects.filter(lesson=lesson).update_for(user.pk, last_opened_at=now):
        return
    try:
        with transaction.atomic():
            LessonProgress.objects.create(
                user=user, lesson=lesson, program_id=program_id, first_opened_at=now, last_opened_at=now
            )
    except IntegrityError:  # opened twice at once
        LessonProgress.objects.filter(lesson=lesson).update_for(user.pk, last_opened_at=now)


def _progress_for(*, user: User, lesson: LessonPage, program_id: int) -> LessonProgress:
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"program_id": program_id}
    )
    return progress


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> LessonProgress:
    """Mark `lesson` complete for `user` (idempotent: the first date is kept). A lesson with a
    knowledge check is completed only by passing it. May record program completion."""
    view = _trackable(user=user, lesson=lesson)
    if lesson.knowledge_checks:
        raise LessonError("Pass the knowledge check to complete this lesson.")
    progress = _progress_for(user=user, lesson=lesson, program_id=view.state.program.pk)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        program_completion_record(user=user, program=view.state.program)
    return progress


def _questions(lesson: LessonPage) -> list[tuple[str, dict]]:
    """(key, question) for every question of every knowledge check, in page order."""
    questions = []
    for block in lesson.knowledge_checks:
        for index, question in enumerate(block.value["questions"]):
            questions.append((f"{block.id}-{index}", question))
    return questions


def quiz_questions(lesson: LessonPage) -> list[tuple[str, dict]]:
    return _questions(lesson)


@transaction.atomic
def quiz_submit(*, user: User, lesson: LessonPage, answers: dict[str, list[str]]) -> QuizAttempt:
    """Score the leader's answers to all of the lesson's questions. Every question needs an
    answer and every answer must be one of the options; otherwise nothing is recorded.
    Passing (score >= the lesson's pass mark) completes the lesson."""
    view = _trackable(user=user, lesson=lesson)
    questions = _questions(lesson)
    if not questions:
        raise LessonError("This lesson has no knowledge check.")
    unanswered, unknown, results, correct_count = [], [], {}, 0
    for number, (key, question) in enumerate(questions, start=1):
        chosen_raw = answers.get(key) or []
        options = list(question["options"])
        chosen = set()
        for raw in chosen_raw:
            if not re.fullmatch(r"[0-9]{1,4}", str(raw)) or int(raw) >= len(options):
                unknown.append(number)
                break
            chosen.add(int(raw))
        if not chosen_raw:
            unanswered.append(number)
        right = {i for i, option in enumerate(options) if option["correct"]}
        is_correct = chosen == right
        correct_count += is_correct
        results[key] = {"chosen": sorted(chosen), "correct": is_correct}
    if unknown:
        raise LessonError("That answer is not one of the options. Please choose from the list.")
    if unanswered:
        which = ", ".join(str(n) for n in unanswered)
        raise LessonError(f"Please answer every question (missing: question {which}).")
    score = round(correct_count * 100 / len(questions))
    attempt = QuizAttempt(
        user=user,
        lesson=lesson,
        program=view.state.program,
        answers=results,
        score=score,
        passed=score >= lesson.pass_mark,
    )
    attempt.full_clean()
    attempt.save()
    progress = _progress_for(user=user, lesson=lesson, program_id=view.state.program.pk)
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, score)
    fields = ["attempts", "best_score"]
    if attempt.passed and progress.completed_at is None:
        progress.completed_at = timezone.now()
        fields.append("completed_at")
    progress.save(update_fields=fields)
    if "completed_at" in fields:
        program_completion_record(user=user, program=view.state.program)
    return attempt


def _block(lesson: LessonPage, block_id: str, block_type: str):
    block = next((b for b in lesson.body if b.id == block_id and b.block_type == block_type), None)
    if block is None:
        raise LessonError("That part of the lesson no longer exists. Please reload the page.")
    return block


@transaction.atomic
def reflection_save(*, user: User, lesson: LessonPage, block_id: str, answer: str) -> ReflectionAnswer:
    """Save (or replace) the leader's private answer to one reflection prompt."""
    _trackable(user=user, lesson=lesson)
    block = _block(lesson, block_id, "reflection")
    answer = (answer or "").strip()
    if not answer:
        raise LessonError("Write an answer before saving.")
    if len(answer) > 5000:
        raise LessonError("Please keep your answer under 5,000 characters.")
    reflection = ReflectionAnswer.objects.filter(user=user, lesson=lesson, block_id=block_id).first()
    now = timezone.now()
    if reflection is None:
        reflection = ReflectionAnswer(user=user, lesson=lesson, block_id=block_id, created_at=now)
    reflection.prompt = block.value["prompt"]
    reflection.answer = answer
    reflection.updated_at = now
    try:
        reflection.full_clean(exclude=["user", "lesson"])
    except ValidationError as exc:
        raise LessonError(" ".join(exc.messages)) from exc
    reflection.save()
    return reflection


@transaction.atomic
def commitment_make(*, user: User, lesson: LessonPage, block_id: str) -> Commitment:
    """The leader commits to an apply-it action (idempotent)."""
    _trackable(user=user, lesson=lesson)
    block = _block(lesson, block_id, "apply_it")
    commitment, _ = Commitment.objects.get_or_create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        defaults={"action": block.value["action"], "tracker_step": int(block.value["tracker_step"])},
    )
    return commitment


@transaction.atomic
def commitment_mark_done(*, user: User, commitment_id: int, done: bool = True) -> Commitment:
    """Check a commitment off (or reopen it). Only its owner may; others get DoesNotExist."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment_id, user=user)
    commitment.done_at = (commitment.done_at or timezone.now()) if done else None
    commitment.save(update_fields=["done_at"])
    return commitment


@transaction.atomic
def program_completion_record(*, user: User, program) -> Enrollment | None:
    """Record program completion the first time every required live lesson is done: sets
    Enrollment.completed_at, audits it and sends `program_completed` inside this transaction.
    Never clears a recorded completion (new lessons do not un-complete a graduate)."""
    enrollment = Enrollment.objects.select_for_update().filter(user=user, program=program).first()
    if enrollment is None or enrollment.completed_at is not None:
        return enrollment
    state = program_state(user=user, program=program)
    if not state.all_required_done:
        return enrollment
    enrollment.completed_at = timezone.now()
    enrollment.save(update_fields=["completed_at"])
    EnrollmentEvent.objects.create(enrollment=enrollment, action="completed", source=enrollment.source)
    program_completed.send(sender=Enrollment, enrollment=enrollment)
    return enrollment


@transaction.atomic
def reflection_sharing_set(*, user: User, share: bool) -> ReflectionSharing:
    """The leader lets the coach read their reflection answers, or takes it back (at any time)."""
    sharing, _ = ReflectionSharing.objects.update_or_create(
        user=user, defaults={"share_with_coach": share, "updated_at": timezone.now()}
    )
    return sharing

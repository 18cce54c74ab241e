"""Progress, quizzes, reflections, commitments, completion and drip."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.models import Commitment, LessonProgress, ModulePage, ModuleUnlock, QuizAttempt, ReflectionAnswer
from lessons.selectors import program_state
from program.models import Enrollment
from program.signals import program_completed
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    program, modules, lessons = make_course(home_page, modules=2, lessons=2)
    quiz = make_lesson(modules[0], title="Quiz", body=QUIZ_BODY)
    return program, modules, lessons, quiz


def _keys(quiz):
    block = quiz.knowledge_checks[0]
    return f"q-{block.id}-0", f"q-{block.id}-1"


def test_opening_records_first_and_last_opened(client, course, user):
    program = course[0]
    enrol(user, program)
    client.force_login(user)
    client.get("/program/m1/l1/")
    progress = LessonProgress.objects.get(user=user)
    first = progress.first_opened_at
    client.get("/program/m1/l1/")
    progress.refresh_from_db()
    assert progress.first_opened_at == first and progress.last_opened_at >= first


def test_mark_complete_moves_progress_and_continue(client, course, user):
    program, _, lessons, _ = course
    enrol(user, program)
    client.force_login(user)
    response = client.post(f"/lessons/{lessons[0].pk}/complete/")
    assert response.status_code == 302 and response["Location"] == "/program/m1/l2/"
    state = program_state(user=user, program=program)
    assert state.done_count == 1 and state.required_count == 5 and state.percent == 20
    assert state.continue_lesson.id == lessons[1].pk
    page = client.get("/program/").content
    assert b"20 % complete" in page and b"Continue where you left off: Lesson 1.2" in page


def test_mark_complete_refused_without_access(client, course, user):
    client.force_login(user)
    response = client.post(f"/lessons/{course[2][0].pk}/complete/", follow=True)
    assert b"Enrol in the program" in response.content
    assert not LessonProgress.objects.exists()


def test_mark_complete_requires_login(client, course):
    response = client.post(f"/lessons/{course[2][0].pk}/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not LessonProgress.objects.exists()


def test_quiz_wrong_then_right_completes_the_lesson(client, course, user):
    program, _, _, quiz = course
    enrol(user, program)
    client.force_login(user)
    first, second = _keys(quiz)
    response = client.post(f"/lessons/{quiz.pk}/quiz/", {first: "1", second: ["0"]}, follow=True)
    assert b"You scored 0 %" in response.content
    assert b"On the first, so nobody loses a week." in response.content  # explanation after answering
    assert LessonProgress.objects.get(user=user, lesson=quiz).completed_at is None
    response = client.post(f"/lessons/{quiz.pk}/quiz/", {first: "0", second: ["0", "1"]}, follow=True)
    assert b"lesson complete" in response.content
    progress = LessonProgress.objects.get(user=user, lesson=quiz)
    assert progress.completed_at is not None and progress.attempts == 2 and progress.best_score == 100
    assert QuizAttempt.objects.filter(user=user).count() == 2


def test_lesson_with_quiz_cannot_be_marked_complete_by_click(client, course, user):
    enrol(user, course[0])
    client.force_login(user)
    client.post(f"/lessons/{course[3].pk}/complete/")
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


@pytest.mark.parametrize(
    "answers, message",
    [
        ({}, b"Please answer every question"),
        ({"first": "0"}, b"Please answer every question"),
        ({"first": "7", "second": "0"}, b"not one of the options"),
        ({"first": "x", "second": "0"}, b"not one of the options"),
    ],
)
def test_quiz_bad_input_records_nothing(client, course, user, answers, message):
    program, _, _, quiz = course
    enrol(user, program)
    client.force_login(user)
    first, second = _keys(quiz)
    data = {{"first": first, "second": second}[k]: v for k, v in answers.items()}
    response = client.post(f"/lessons/{quiz.pk}/quiz/", data, follow=True)
    assert message in response.content
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.filter(attempts__gt=0).exists()


def test_quiz_on_a_lesson_one_may_not_see_is_refused(client, course, user):
    quiz = course[3]
    client.force_login(user)
    first, second = _keys(quiz)
    response = client.post(f"/lessons/{quiz.pk}/quiz/", {first: "0", second: ["0", "1"]}, follow=True)
    assert b"Enrol in the program" in response.content
    assert not QuizAttempt.objects.exists()


def test_reflection_saved_privately_and_bad_input_refused(client, course, user, other_user):
    program, _, _, quiz = course
    enrol(user, program)
    client.force_login(user)
    block_id = next(b.id for b in quiz.body if b.block_type == "reflection")
    client.post(f"/lessons/{quiz.pk}/reflection/{block_id}/", {"answer": "Talk to Sam on Monday."})
    assert ReflectionAnswer.objects.get(user=user).answer == "Talk to Sam on Monday."
    response = client.post(f"/lessons/{quiz.pk}/reflection/{block_id}/", {"answer": "   "}, follow=True)
    assert b"Write an answer" in response.content
    response = client.post(f"/lessons/{quiz.pk}/reflection/nope/", {"answer": "x"}, follow=True)
    assert b"no longer exists" in response.content
    assert ReflectionAnswer.objects.get(user=user).answer == "Talk to Sam on Monday."
    enrol(other_user, program)
    client.force_login(other_user)
    assert b"Talk to Sam" not in client.get("/program/m1/quiz/").content
    assert b"Talk to Sam" not in client.get("/dashboard/").content


def test_commitment_made_and_only_owner_can_check_it_off(client, course, user, other_user):
    program, _, _, quiz = course
    enrol(user, program)
    client.force_login(user)
    block_id = next(b.id for b in quiz.body if b.block_type == "apply_it")
    client.post(f"/lessons/{quiz.pk}/commit/{block_id}/")
    commitment = Commitment.objects.get(user=user)
    assert commitment.tracker_step == 1
    assert b"Send every rep their number" in client.get("/dashboard/").content
    client.force_login(other_user)
    assert client.post(f"/commitments/{commitment.pk}/done/").status_code == 404
    commitment.refresh_from_db()
    assert commitment.done_at is None
    client.force_login(user)
    client.post(f"/commitments/{commitment.pk}/done/", {"next": "https://evil.example/"})
    commitment.refresh_from_db()
    assert commitment.done_at is not None


def test_completion_recorded_once_and_never_undone(client, course, user):
    program, modules, lessons, quiz = course
    enrollment = enrol(user, program)
    sent = []
    program_completed.connect(
        lambda sender, enrollment, **kw: sent.append(enrollment.pk), weak=False, dispatch_uid="test-completion"
    )
    try:
        client.force_login(user)
        for lesson in lessons:
            client.post(f"/lessons/{lesson.pk}/complete/")
        enrollment.refresh_from_db()
        assert enrollment.completed_at is None  # the quiz lesson is still open
        first, second = _keys(quiz)
        client.post(f"/lessons/{quiz.pk}/quiz/", {first: "0", second: ["0", "1"]})
        enrollment.refresh_from_db()
        completed = enrollment.completed_at
        assert completed is not None and sent == [enrollment.pk]
        assert enrollment.events.filter(action="completed").count() == 1

        new = make_lesson(modules[1], title="New lesson")  # content grows after graduation
        state = program_state(user=user, program=program)
        assert state.percent == 100 and state.done_count == 5  # completed stays completed
        assert [lesson.id for lesson in state.new_lessons] == [new.pk]
        client.post(f"/lessons/{lessons[0].pk}/complete/")
        enrollment.refresh_from_db()
        assert enrollment.completed_at == completed and sent == [enrollment.pk]
        assert b"Program complete" in client.get("/program/").content or b"completed" in client.get("/program/").content
    finally:
        program_completed.disconnect(dispatch_uid="test-completion")


def test_progress_counts_only_required_live_lessons(course, user):
    program, modules, lessons, quiz = course
    enrol(user, program)
    now = timezone.now()
    for lesson in lessons:
        LessonProgress.objects.create(user=user, lesson=lesson, program=program, completed_at=now)
    make_lesson(modules[0], title="Optional", required=False)
    make_lesson(modules[0], title="Draft", live=False)
    state = program_state(user=user, program=program)
    assert (state.done_count, state.required_count) == (4, 5)
    lessons[0].unpublish()
    state = program_state(user=user, program=program)
    assert (state.done_count, state.required_count) == (3, 4)
    quiz.delete()
    state = program_state(user=user, program=program)
    assert state.percent == 100 and state.all_required_done


def test_drip_by_days_locks_and_continue_skips_locked(client, course, user, home_page):
    program, modules, lessons, _ = course
    later = make_module(program, title="Later", slug="later", drip=ModulePage.Drip.DAYS, drip_days=7)
    locked = make_lesson(later, title="Locked one", slug="locked")
    enrol(user, program)
    now = timezone.now()
    for lesson in [*lessons, course[3]]:
        LessonProgress.objects.create(user=user, lesson=lesson, program=program, completed_at=now)
    client.force_login(user)
    response = client.get("/program/later/locked/")
    assert b"SECRET" not in response.content and b"not open yet" in response.content
    assert program_state(user=user, program=program).continue_lesson is None
    client.post(f"/lessons/{locked.pk}/complete/")
    assert not LessonProgress.objects.filter(lesson=locked).exists()
    Enrollment.objects.update(enrolled_at=now - timedelta(days=8))
    assert program_state(user=user, program=program).continue_lesson.id == locked.pk
    assert b"SECRET body of Locked one" in client.get("/program/later/locked/").content


def test_drip_after_previous_and_coach_unlock(client, course, user, other_user):
    program, modules, lessons, _ = course
    modules[1].drip = ModulePage.Drip.PREVIOUS
    modules[1].save()
    enrol(user, program)
    enrol(other_user, program)
    state = program_state(user=user, program=program)
    assert state.modules[1].locked and not state.modules[0].locked
    assert state.continue_lesson.id == lessons[0].pk
    ModuleUnlock.objects.create(module=modules[1], user=user)
    assert not program_state(user=user, program=program).modules[1].locked
    assert program_state(user=other_user, program=program).modules[1].locked
    ModuleUnlock.objects.create(module=modules[1], user=None)
    assert not program_state(user=other_user, program=program).modules[1].locked

"""Deleting an account keeps the leader's quiz attempts, without the person, in the quiz statistics."""

import pytest
from django.db import transaction

from accounts.services import user_delete
from lessons.models import QuizAttempt
from lessons.privacy import lessons_export
from lessons.reports import quiz_report
from lessons.services import quiz_submit
from tests.factories import UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db


def test_attempts_outlive_the_account_anonymously(home_page, monkeypatch):
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    quiz = make_lesson(modules[0], title="Quiz", slug="quiz", body=QUIZ_BODY)
    key = quiz.knowledge_checks[0].id
    leaving, staying = UserFactory(), UserFactory()
    for user in (leaving, staying):
        enrol(user, program)
        quiz_submit(user=user, lesson=quiz, answers={f"{key}-0": ["0"], f"{key}-1": ["2"]})
    before = [(row.question, row.attempts, row.missed) for row in quiz_report(program=program)]
    user_delete(user=leaving)
    assert QuizAttempt.objects.count() == 2 and QuizAttempt.objects.filter(user__isnull=True).count() == 1
    assert [(row.question, row.attempts, row.missed) for row in quiz_report(program=program)] == before
    assert len(lessons_export(staying)["quiz_attempts"]) == 1

"""Coach reports: staff only, stuck filter, quiz misses, formula-safe CSV."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.models import LessonProgress, QuizAttempt
from lessons.reports import learner_report, quiz_report, safe_cell
from program.models import Enrollment
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    quiz = make_lesson(modules[0], title="Quiz", body=QUIZ_BODY)
    return program, lessons, quiz


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x" and safe_cell("-2") == "'-2"
    assert safe_cell("Marcus") == "Marcus" and safe_cell(None) == ""


def test_learner_report_progress_and_stuck(course):
    program, lessons, quiz = course
    now = timezone.now()
    active = UserFactory(full_name="Active Leader")
    stale = UserFactory(full_name="=cmd|' /C calc'!A0")
    enrol(active, program)
    enrol(stale, program)
    Enrollment.objects.filter(user=stale).update(enrolled_at=now - timedelta(days=40))
    LessonProgress.objects.create(user=active, lesson=lessons[0], program=program, completed_at=now)
    LessonProgress.objects.create(
        user=stale,
        lesson=lessons[0],
        program=program,
        completed_at=now - timedelta(days=30),
        last_opened_at=now - timedelta(days=2),  # still opening lessons, but no progress for 30 days
    )
    rows = {row.user.pk: row for row in learner_report(program=program)}
    assert rows[active.pk].percent == 33 and not rows[active.pk].stuck
    assert rows[stale.pk].stuck
    assert [row.user.pk for row in learner_report(program=program, stuck_only=True)] == [stale.pk]


def test_reports_need_staff_and_csv_is_safe(client, course, user):
    program, lessons, quiz = course
    evil = UserFactory(full_name='=HYPERLINK("http://x")')
    enrol(evil, program)
    url = f"/admin/program-reports/{program.pk}/learners/"
    client.force_login(user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200
    csv_text = client.get(url + "?format=csv").content.decode()
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text
    assert client.get(f"/admin/program-reports/{program.pk}/quiz/?format=csv").status_code == 200


def test_quiz_report_shows_the_missed_question(course):
    program, _, quiz = course
    block = quiz.knowledge_checks[0]
    for user in (UserFactory(), UserFactory()):
        QuizAttempt.objects.create(
            user=user,
            lesson=quiz,
            program=program,
            score=50,
            answers={
                f"{block.id}-0": {"chosen": [0], "correct": True},
                f"{block.id}-1": {"chosen": [2], "correct": False},
            },
        )
    rows = quiz_report(program=program)
    assert rows[0].question == "Which are accountability steps?"
    assert (rows[0].attempts, rows[0].missed, rows[0].miss_rate) == (2, 2, 100)
    assert rows[0].common_wrong == "Close deals for reps"


def test_learner_csv_is_in_the_coach_time_zone_and_says_so(client, course):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    program = course[0]
    leader = UserFactory()
    enrol(leader, program)
    Enrollment.objects.filter(user=leader).update(enrolled_at=datetime(2026, 3, 2, 2, 30, tzinfo=ZoneInfo("UTC")))
    from wagtail.users.models import UserProfile

    coach = StaffFactory(time_zone="America/Los_Angeles")
    # The admin shows times in the coach's Wagtail profile zone; the CSV follows the page.
    UserProfile.get_for_user(coach).__class__.objects.filter(user=coach).update(current_time_zone="America/Los_Angeles")
    client.force_login(coach)
    page = client.get(f"/admin/program-reports/{program.pk}/learners/").content.decode()
    assert "2026-03-01 18:30" in page
    csv_text = client.get(f"/admin/program-reports/{program.pk}/learners/?format=csv").content.decode()
    assert "Enrolled (America/Los_Angeles)" in csv_text and "Last activity (America/Los_Angeles)" in csv_text
    assert "2026-03-01" in csv_text and "2026-03-01 18:30" in csv_text  # 02:30 UTC is the evening before in LA

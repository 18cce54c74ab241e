"""A leader who completed the program stays completed when the coach adds a lesson; the new
lesson is marked "new since you finished" and no step locks again."""

import pytest

from lessons.models import ModulePage
from lessons.reports import learner_report
from lessons.selectors import program_state
from lessons.services import lesson_complete
from program.models import Enrollment
from tests.factories import UserFactory
from tests.lessons.factories import enrol, make_lesson, make_module, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduate(home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    first = make_module(program, title="Targets", slug="m1")
    second = make_module(program, title="Publish", slug="m2", drip=ModulePage.Drip.PREVIOUS)
    lessons = [make_lesson(first, title="Intro", slug="intro"), make_lesson(second, title="Post it", slug="post")]
    leader = UserFactory()
    enrol(leader, program)
    for lesson in lessons:
        lesson_complete(user=leader, lesson=lesson)
    assert Enrollment.objects.get(user=leader).completed_at is not None
    added = make_lesson(first, title="Fresh material", slug="fresh")
    return program, leader, added


def test_the_state_stays_complete_and_names_the_new_lesson(graduate):
    program, leader, added = graduate
    state = program_state(user=leader, program=program)
    assert state.percent == 100 and state.completed_at is not None
    assert [lesson.id for lesson in state.new_lessons] == [added.pk]
    assert not any(module.locked for module in state.modules)  # step 2 does not lock again


def test_the_pages_say_completed_and_mark_the_new_lesson(client, graduate):
    program, leader, added = graduate
    client.force_login(leader)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Completed " in dashboard and "1 new lesson since you finished" in dashboard
    assert "66 %" not in dashboard and "Continue where you left off" not in dashboard
    assert "New since you finished: Fresh material" in dashboard
    page = client.get(program.url).content.decode()
    assert "New since you finished</span>" in page and 'aria-valuenow="100"' in page


def test_the_coach_report_keeps_a_graduate_at_100_with_no_current_module(graduate):
    program, leader, _ = graduate
    [row] = learner_report(program=program)
    assert row.percent == 100 and row.current_module is None and not row.stuck


def test_someone_who_has_not_finished_sees_honest_progress(graduate, home_page):
    program, _, added = graduate
    other = UserFactory()
    enrol(other, program)
    state = program_state(user=other, program=program)
    assert state.percent == 0 and state.new_lessons == []

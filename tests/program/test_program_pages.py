"""The program sales page: sales content and enrol call for visitors, progress and continue for leaders."""

import pytest

from tests.lessons.factories import enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db


def test_visitor_sees_sales_page_and_enrol_call(client, home_page):
    program, modules, _ = make_course(home_page)
    make_lesson(modules[0], title="Preview", free_preview=True)
    response = client.get("/program/")
    assert response.status_code == 200
    assert b"Lead a team that delivers." in response.content
    assert b'id="enrol"' in response.content
    assert b"Step 1: Module 1" in response.content and b"Free preview" in response.content
    assert b"SECRET" not in response.content
    assert b"Continue where you left off" not in response.content


def test_enrolled_leader_sees_progress_and_continue(client, home_page, user):
    program, _, lessons = make_course(home_page)
    enrol(user, program)
    client.force_login(user)
    response = client.get("/program/")
    assert b"Enrolled" in response.content
    assert b"0 % complete" in response.content
    assert b'href="/program/m1/l1/"' in response.content
    assert b"Continue where you left off: Lesson 1.1" in response.content
    assert b"SECRET" not in response.content


def test_module_page_shows_outline_and_progress(client, home_page, user):
    program, _, _ = make_course(home_page)
    enrol(user, program)
    client.force_login(user)
    response = client.get("/program/m2/")
    assert response.status_code == 200
    assert b"Lesson 2.1" in response.content and b"Module progress" in response.content


def test_tree_is_constrained():
    from lessons.models import LessonPage, ModulePage

    assert ModulePage.parent_page_types == ["program.ProgramPage"]
    assert LessonPage.parent_page_types == ["lessons.ModulePage"]
    assert ModulePage.subpage_types == ["lessons.LessonPage"]

"""Paid lesson bodies and worksheets never leak: page, documents, search, sitemap, previews."""

import pytest

from lessons.models import LessonPage
from program.models import Enrollment
from program.services import enrollment_revoke
from tests.factories import StaffFactory
from tests.lessons.factories import DocumentFactory, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    preview = make_lesson(modules[0], title="Preview", body=[("text", "<p>OPEN preview words</p>")], free_preview=True)
    return program, modules, lessons, preview


def test_visitor_sees_title_summary_and_login_call_not_body(client, course):
    response = client.get("/program/m1/l1/")
    assert response.status_code == 200
    assert b"Lesson 1.1" in response.content and b"Summary of Lesson 1.1" in response.content
    assert b"SECRET" not in response.content
    assert b"Log in" in response.content and b'id="enrol"' in response.content


def test_logged_in_non_enrolled_sees_enrol_call(client, course, user):
    client.force_login(user)
    response = client.get("/program/m1/l1/")
    assert b"SECRET" not in response.content
    assert b"Enrol to read this lesson" in response.content


def test_free_preview_is_open_to_visitors(client, course):
    response = client.get("/program/m1/preview/")
    assert b"OPEN preview words" in response.content


def test_enrolled_sees_body_and_revoked_does_not(client, course, user):
    program = course[0]
    enrollment = enrol(user, program)
    client.force_login(user)
    assert b"SECRET body of Lesson 1.1" in client.get("/program/m1/l1/").content
    enrollment_revoke(enrollment=enrollment, reason="refund")
    assert b"SECRET" not in client.get("/program/m1/l1/").content


def test_lesson_pages_are_never_cached_publicly(client, course):
    response = client.get("/program/m1/l1/")
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_paid_worksheet_served_only_to_enrolled(client, course, user, other_user):
    program, modules, _, _ = course
    document = DocumentFactory()
    make_lesson(modules[0], title="With sheet", body=[("worksheet", {"document": document, "title": "Sheet"})])
    url = document.url
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    enrol(user, program)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_worksheet_of_free_preview_is_public(client, course):
    document = DocumentFactory(title="Open sheet")
    make_lesson(
        course[1][0],
        title="Open sheet lesson",
        free_preview=True,
        body=[("worksheet", {"document": document, "title": "Sheet"})],
    )
    assert client.get(document.url).status_code == 200


def test_staff_may_download_paid_worksheets(client, course):
    document = DocumentFactory()
    make_lesson(course[1][0], title="With sheet", body=[("worksheet", {"document": document, "title": "Sheet"})])
    client.force_login(StaffFactory())
    assert client.get(document.url).status_code == 200


def test_paid_body_is_not_searchable(course):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for lesson in LessonPage.objects.all():
        backend.add(lesson)
    assert list(LessonPage.objects.search("SECRET")) == []
    assert list(LessonPage.objects.search("Summary")) != []  # the title/summary index works


def test_sitemap_lists_free_previews_only(client, course):
    content = client.get("/sitemap.xml").content
    assert b"/program/m1/preview/" in content
    assert b"/program/m1/l1/" not in content
    assert b"SECRET" not in content


def test_admin_preview_and_draft_need_an_editor(client, course, user):
    lesson = course[2][0]
    for url in (f"/admin/pages/{lesson.pk}/edit/preview/", f"/admin/pages/{lesson.pk}/view_draft/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(user)  # an enrolled-or-not leader has no admin access either
    for url in (f"/admin/pages/{lesson.pk}/edit/preview/", f"/admin/pages/{lesson.pk}/view_draft/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"SECRET" not in response.content


def test_editor_preview_shows_body(client, course):
    lesson = course[2][0]
    client.force_login(StaffFactory())
    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert b"SECRET body" in response.content


def test_unpublished_module_hides_its_lessons(client, course, user):
    program, modules, lessons, _ = course
    enrol(user, program)
    modules[0].unpublish()
    client.force_login(user)
    response = client.get("/program/m1/l1/")
    assert b"SECRET" not in response.content


def test_enrollment_status_comes_from_the_database(client, course, user):
    enrol(user, course[0])
    Enrollment.objects.update(status=Enrollment.Status.REVOKED)
    client.force_login(user)
    assert b"SECRET" not in client.get("/program/m1/l1/").content


def test_a_drip_locked_lessons_worksheet_opens_with_its_lesson(client, course, user):
    from datetime import timedelta

    from lessons.models import ModulePage
    from tests.lessons.factories import make_module

    program = course[0]
    later = make_module(program, title="Later", slug="later", drip=ModulePage.Drip.DAYS, drip_days=7)
    document = DocumentFactory(title="Later sheet")
    make_lesson(later, title="Locked", slug="locked", body=[("worksheet", {"document": document, "title": "Sheet"})])
    enrol(user, program)
    client.force_login(user)
    assert b"not open yet" in client.get("/program/later/locked/").content
    assert client.get(document.url).status_code == 403
    Enrollment.objects.update(enrolled_at=Enrollment.objects.get().enrolled_at - timedelta(days=8))
    assert client.get(document.url).status_code == 200

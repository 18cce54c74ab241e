"""Bad input from the outside gets a clear answer (400/404 or a form error), never a 500."""

import pytest
from django.test import Client

from program.webinars.models import WebinarRegistration
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson
from tests.program.webinars.factories import webinar
from tests.tracker.factories import TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def raising_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("zone", ["America", "America/", "../../etc/passwd", "Foo\x00Bar", "x" * 64])
def test_a_webinar_registration_with_a_bad_browser_zone_registers_in_the_sessions_zone(
    raising_client, home_page, zone, monkeypatch
):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    page = webinar(home_page)
    session = page.sessions.get()
    data = {"session": session.pk, "name": "Rosa", "email": "rosa@example.com", "time_zone": zone}
    response = raising_client.post(page.url, data)
    assert response.status_code in (200, 302, 400)
    assert [r.time_zone for r in WebinarRegistration.objects.all()] in ([], [""])


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 40, "-1", ""])
def test_checkout_cancel_with_a_strange_program_id(raising_client, home_page, value):
    assert raising_client.get("/checkout/cancel/", {"program": value}).status_code == 200


@pytest.mark.parametrize("answer", ["²", "٣", "9" * 30, "-1"])
def test_a_strange_quiz_answer_is_a_form_error(raising_client, home_page, user, answer):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    quiz = make_lesson(modules[0], title="Quiz", body=QUIZ_BODY)
    enrol(user, program)
    raising_client.force_login(user)
    block = quiz.knowledge_checks[0]
    response = raising_client.post(f"/lessons/{quiz.pk}/quiz/", {f"q-{block.id}-0": answer}, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1000-01", "1969-12", "3000-01"])
@pytest.mark.parametrize("view", ["targets", "results", "rankings", "meeting", "reviews"])
def test_far_off_tracker_months_are_not_found(raising_client, home_page, month, view):
    leader = TrackerUserFactory()
    team = TeamFactory(leader=leader)
    raising_client.force_login(leader)
    assert raising_client.get(f"/tracker/{team.pk}/{view}/{month}/").status_code == 404


def test_tracker_months_in_range_still_open(raising_client, home_page):
    leader = TrackerUserFactory()
    team = TeamFactory(leader=leader)
    raising_client.force_login(leader)
    assert raising_client.get(f"/tracker/{team.pk}/targets/2026-03/").status_code == 200

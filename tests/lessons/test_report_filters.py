"""The learner report: an enrollment date range, the stuck list and one nudge to several leaders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lessons.models import LessonProgress, Nudge
from program.models import Enrollment
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(home_page):
    program, _, lessons = make_course(home_page, modules=1, lessons=2)
    now = timezone.now()

    def leader(name, enrolled_days_ago, *, active_days_ago=None):
        user = UserFactory(full_name=name)
        enrol(user, program)
        Enrollment.objects.filter(user=user).update(enrolled_at=now - timedelta(days=enrolled_days_ago))
        if active_days_ago is not None:
            when = now - timedelta(days=active_days_ago)
            LessonProgress.objects.create(
                user=user, lesson=lessons[0], program=program, completed_at=when, last_opened_at=when
            )
        return user

    people = {
        "fresh": leader("Fresh Face", 2, active_days_ago=1),
        "stuck": leader("Stuck Stan", 60, active_days_ago=30),
        "silent": leader("Silent Sue", 20),
    }
    return program, people, f"/admin/program-reports/{program.pk}/learners/"


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - timedelta(days=days_ago):%Y-%m-%d}"


def test_the_date_range_filters_leaders_by_enrollment_and_the_csv_follows(client, report):
    program, people, url = report
    client.force_login(StaffFactory())
    html = client.get(url, {"enrolled_from": _day(30), "enrolled_to": _day(0)}).content.decode()
    assert "Fresh Face" in html and "Silent Sue" in html and "Stuck Stan" not in html.split("all-heading")[1]
    csv = client.get(url, {"enrolled_from": _day(30), "enrolled_to": _day(10), "format": "csv"}).content.decode()
    assert "Silent Sue" in csv and "Fresh Face" not in csv and "Stuck Stan" not in csv


@pytest.mark.parametrize(
    "query",
    [
        {"enrolled_from": "yesterday"},
        {"enrolled_from": "2026-02-31"},
        {"enrolled_from": "2026-05-01", "enrolled_to": "2026-04-01"},
        {"stuck_days": "-3"},
        {"stuck_days": "ten"},
        {"enrolled_to": "9999-12-31"},
    ],
)
def test_odd_filters_are_reported_not_a_500(client, report, query):
    _, _, url = report
    client.force_login(StaffFactory())
    response = client.get(url, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fresh Face" in body
    assert "not applied" in body


def test_the_stuck_list_is_ticked_and_one_click_nudges_them_all(client, report):
    program, people, url = report
    coach = StaffFactory()
    client.force_login(coach)
    html = client.get(url).content.decode()
    stuck_part = html.split('id="stuck-heading"')[1].split('id="all-heading"')[0]
    assert "Stuck Stan" in stuck_part and "Silent Sue" in stuck_part and "Fresh Face" not in stuck_part
    assert stuck_part.count(" checked") == 2
    mail.outbox.clear()
    response = client.post(
        url,
        {
            "learners": [people["stuck"].pk, people["silent"].pk],
            "subject": "Your next step",
            "body": "One lesson this week keeps you moving.",
        },
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["stuck"].email, people["silent"].email])
    assert set(Nudge.objects.values_list("reason", flat=True)) == {"stuck"}
    assert all(nudge.coach == coach for nudge in Nudge.objects.all())
    assert "/program/" in mail.outbox[0].body  # the link back to the program


def test_stuck_days_changes_who_is_stuck(client, report):
    _, _, url = report
    client.force_login(StaffFactory())
    html = client.get(url, {"stuck_days": "45"}).content.decode()
    assert "Stuck leaders (0)" in html
    html = client.get(url, {"stuck_days": "1"}).content.decode()
    assert "Stuck leaders (3)" in html


def test_a_nudge_to_someone_outside_the_program_or_to_nobody_sends_nothing(client, report):
    _, _, url = report
    client.force_login(StaffFactory())
    mail.outbox.clear()
    stranger = UserFactory()
    for learners in ([stranger.pk], [], ["abc"]):
        response = client.post(url, {"learners": learners, "subject": "Hi", "body": "Hello"})
        assert response.status_code == 200
    assert mail.outbox == [] and Nudge.objects.count() == 0


def test_leaders_cannot_post_a_bulk_nudge(client, report):
    program, people, url = report
    client.force_login(people["fresh"])
    response = client.post(url, {"learners": [people["stuck"].pk], "subject": "Hi", "body": "Hello"})
    assert response.status_code in (302, 403, 404)
    assert Nudge.objects.count() == 0

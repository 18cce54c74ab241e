"""The coach's "Certificates issued" report in the Wagtail admin: coach only (the Coaches group,
without `is_staff`, opens it; everyone else gets 404), filtered by program and dates, 25 a page, and
the dashboard's "certificates issued" count links to exactly what it counted."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.reports.changes import changes_since_last_look
from program.certificates.models import Certificate
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db
URL = "/admin/certificates/"


def _issue(n, *, at, program=None, title="9 Steps"):
    for i in range(n):
        Certificate.objects.create(
            program=program,
            program_title=title,
            learner_name=f"{title} learner {i}",
            completed_on=at.date(),
            issuer_name="Huddle",
            issued_at=at,
        )


def test_the_report_is_the_coachs_only(client):
    assert reverse("certificates_report") == URL
    client.force_login(UserFactory())  # a leader: no admin at all
    assert client.get(URL).status_code in (302, 403)
    client.logout()
    assert client.get(URL).status_code == 302  # to the admin's login
    coach = CoachFactory()
    assert not coach.is_staff
    client.force_login(coach)
    assert client.get(URL).status_code == 200


def test_an_admin_user_without_the_coach_role_gets_404(client):
    from django.contrib.auth.models import Group

    writers = Group.objects.create(name="Writers")  # Wagtail admin access, not the coach
    writers.permissions.add(*Group.objects.get(name="Editors").permissions.exclude(codename="coach"))
    writer = UserFactory()
    writer.groups.add(writers)
    _issue(1, at=timezone.now())
    client.force_login(writer)
    response = client.get(URL)
    assert response.status_code == 404 and b"learner 0" not in response.content


def test_filters_by_program_and_dates_and_pages_by_25(client, home_page):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    now = timezone.now()
    _issue(30, at=now - timedelta(days=1), program=program)
    _issue(2, at=now - timedelta(days=40), title="Workshop")
    client.force_login(CoachFactory())

    first = client.get(URL).content.decode()
    assert "32 certificates." in first and "Page 1 of 2" in first and first.count("9 Steps learner") == 25
    assert "Workshop learner" not in first  # newest first: the old workshop is on page 2
    second = client.get(URL + "?p=2").content.decode()
    assert "Workshop learner 0" in second and "Page 2 of 2" in second

    only_program = client.get(URL, {"program": program.pk}).content.decode()
    assert "30 certificates." in only_program and "Workshop" not in only_program
    since = (now - timedelta(days=10)).date().isoformat()
    recent = client.get(URL, {"since": since}).content.decode()
    assert "30 certificates." in recent
    before = client.get(URL, {"until": since}).content.decode()
    assert "2 certificates." in before and "Workshop learner 1" in before
    bad = client.get(URL, {"since": "yesterday", "program": "x"})
    assert bad.status_code == 200 and "Some filters were not applied" in bad.content.decode()
    assert "32 certificates." in bad.content.decode()


def test_the_dashboard_link_lists_what_the_panel_counted(client, home_page):
    now = timezone.now()
    _issue(3, at=now - timedelta(days=2))
    _issue(1, at=now - timedelta(days=9))  # before the panel's first week
    coach = CoachFactory()
    changes = changes_since_last_look(user=coach, now=now)
    row = next(row for row in changes.rows if row.key == "certificates")
    assert row.count == 3 and row.url.startswith(URL + "?since=")
    client.force_login(coach)
    assert "3 certificates." in client.get(row.url).content.decode()
    assert f'href="{URL}?since=' in client.get("/admin/").content.decode()  # the panel links there


def test_the_report_takes_the_same_queries_at_two_sizes(client):
    client.force_login(CoachFactory())
    _issue(2, at=timezone.now())
    client.get(URL)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    small = count()
    _issue(60, at=timezone.now())
    assert small == count() <= 12

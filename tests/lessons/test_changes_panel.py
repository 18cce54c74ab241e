"""The coach's "What changed since you last looked" on the Wagtail dashboard: the counts, their
window (the last 7 days, then since "Mark all as seen"), nothing lost while she reads, only the
coach sees it, and a fixed number of queries as data grows."""

import itertools
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import is_coach
from home.newsletter.models import NewsletterSubscriber
from lessons.models import DashboardSeen, LessonProgress, ReflectionAnswer, ReflectionSharing
from lessons.reports.changes import changes_since_last_look, dashboard_mark_seen
from program.certificates.models import Certificate
from program.models import Enrollment
from program.webinars.models import WebinarRegistration
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import enrol, make_course
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
_serial = itertools.count()


@pytest.fixture
def course(home_page):
    program, _, lessons = make_course(home_page, modules=1, lessons=2)
    return program, lessons


@pytest.fixture
def session(home_page):
    return webinar(home_page).sessions.get()


def _enrol(program, *, at, user=None):
    enrollment = enrol(user or UserFactory(), program)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at)
    return enrollment


def _history(program, lessons, session, *, at, n=1):
    """`n` of each kind of change, all at `at`."""
    for _ in range(n):
        leader = _enrol(program, at=at).user
        LessonProgress.objects.create(user=leader, lesson=lessons[0], program=program, completed_at=at)
        Certificate.objects.create(
            user=leader, program_title="P", learner_name="L", completed_on=at.date(), issuer_name="H", issued_at=at
        )
        WebinarRegistration.objects.create(
            session=session, email=f"r{next(_serial)}@example.com", name="R", status="registered", created_at=at
        )
        NewsletterSubscriber.objects.create(email=f"n{next(_serial)}@example.com", status="confirmed", confirmed_at=at)
        ReflectionSharing.objects.create(user=leader, share_with_coach=True)
        ReflectionAnswer.objects.create(
            user=leader, lesson=lessons[0], block_id="b", prompt="?", answer="A", updated_at=at
        )


def _counts(changes) -> dict[str, int]:
    return {row.key: row.count for row in changes.rows}


def test_a_first_look_counts_the_last_seven_days_and_links_each_report(client, course, session):
    program, lessons = course
    now = timezone.now()
    _history(program, lessons, session, at=now - 2 * DAY, n=2)
    _history(program, lessons, session, at=now - 9 * DAY)  # before the window
    private = _enrol(program, at=now - 30 * DAY).user  # a reflection the leader keeps private
    ReflectionAnswer.objects.create(user=private, lesson=lessons[0], block_id="b", prompt="?", answer="A")
    coach = CoachFactory()

    changes = changes_since_last_look(user=coach, now=now)

    assert changes.first_look and changes.since == now - 7 * DAY and changes.until == now
    assert _counts(changes) == {
        "enrollments": 2,
        "completions": 2,
        "certificates": 2,
        "registrations": 2,
        "subscribers": 2,
        "failed_emails": 0,
        "reflections": 2,
        "stuck": 0,
    }
    links = {row.key: row.url for row in changes.rows}
    day = timezone.localtime(now - 7 * DAY).date().isoformat()
    assert links["enrollments"] == f"/admin/program-reports/{program.pk}/learners/?enrolled_from={day}"
    assert links["registrations"] == "/admin/webinars/"
    assert links["failed_emails"] == "/admin/background/failed/"

    client.force_login(coach)
    html = client.get("/admin/").content.decode()
    assert "What changed since you last looked" in html and "In the last 7 days" in html
    # the page draws the link in the coach's own zone (its day differs from the site's for an hour a day)
    page_day = timezone.localtime(now - 7 * DAY, ZoneInfo(coach.time_zone)).date().isoformat()
    page_link = f"/admin/program-reports/{program.pk}/learners/?enrolled_from={page_day}"
    assert f'<a href="{page_link}"><strong>2</strong> new enrollments</a>' in html
    assert "0 emails that could not be sent" in html


def test_leaders_who_crossed_the_stuck_mark_since_the_last_look(course):
    program, lessons = course
    now = timezone.now()
    became = _enrol(program, at=now - 16 * DAY)  # stuck since 2 days: new
    _enrol(program, at=now - 40 * DAY)  # stuck long before the window: not new
    _enrol(program, at=now - 10 * DAY)  # not stuck yet
    moving = _enrol(program, at=now - 40 * DAY)  # completed a lesson 5 days ago: not stuck
    LessonProgress.objects.create(user=moving.user, lesson=lessons[0], program=program, completed_at=now - 5 * DAY)
    slipped = _enrol(program, at=now - 60 * DAY)  # last lesson 17 days ago: became stuck 3 days ago
    LessonProgress.objects.create(user=slipped.user, lesson=lessons[0], program=program, completed_at=now - 17 * DAY)
    revoked = _enrol(program, at=now - 16 * DAY)
    Enrollment.objects.filter(pk=revoked.pk).update(status=Enrollment.Status.REVOKED)

    changes = changes_since_last_look(user=CoachFactory(), now=now)

    stuck = next(row for row in changes.rows if row.key == "stuck")
    assert stuck.count == 2, became
    assert stuck.url == f"/admin/program-reports/{program.pk}/learners/?stuck=1"


def test_mark_all_as_seen_keeps_what_arrived_while_the_coach_read(client, course, session):
    program, lessons = course
    coach = CoachFactory()
    client.force_login(coach)
    _enrol(program, at=timezone.now() - DAY)
    html = client.get("/admin/").content.decode()
    until = html.split('name="until" value="')[1].split('"')[0]
    late = _enrol(program, at=timezone.now() + timedelta(seconds=1))  # arrives after the page was drawn

    response = client.post("/admin/changes/seen/", {"until": until})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    seen = DashboardSeen.objects.get(user=coach).seen_until
    assert seen.isoformat() == until
    changes = changes_since_last_look(user=coach, now=timezone.now() + timedelta(seconds=5))
    assert not changes.first_look and changes.since == seen
    assert _counts(changes)["enrollments"] == 1, late
    assert "Since " in client.get("/admin/").content.decode()


def test_the_mark_never_moves_back_nor_past_now():
    coach = CoachFactory()
    now = timezone.now()
    assert dashboard_mark_seen(user=coach, until=now + DAY, now=now) == now  # a forged future
    assert dashboard_mark_seen(user=coach, until=now - DAY, now=now) == now  # an old tab
    assert DashboardSeen.objects.get(user=coach).seen_until == now


def test_failed_emails_count_only_those_in_the_window(monkeypatch):
    now = timezone.now()
    rows = [SimpleNamespace(finished_at=now - DAY), SimpleNamespace(finished_at=now - 20 * DAY)]
    monkeypatch.setattr("lessons.reports.changes.failed_outbound_tasks", lambda: rows)
    # The gate folded into the panel's one query (None without the database queue, as in tests).
    monkeypatch.setattr("lessons.reports.changes.any_failed_task_exists", lambda: Value(True))
    changes = changes_since_last_look(user=CoachFactory(), now=now)
    assert _counts(changes)["failed_emails"] == 1
    assert changes.failed == rows  # all of them, for the dashboard's warning (no second read)


def test_only_the_coach_sees_the_panel_and_may_mark(client, home_page):
    editors = Group.objects.create(name="Writers")  # Wagtail admin access, no coach permission
    editors.permissions.add(*Group.objects.get(name="Editors").permissions.exclude(codename="coach"))
    writer = UserFactory()
    writer.groups.add(editors)
    client.force_login(writer)
    response = client.get("/admin/")
    assert response.status_code == 200 and b"What changed since you last looked" not in response.content
    refused = client.post("/admin/changes/seen/", {"until": timezone.now().isoformat()}, follow=True)
    assert b"Sorry, you do not have permission" in refused.content  # Wagtail's answer to PermissionDenied
    client.force_login(UserFactory())  # a leader: no admin at all
    assert client.post("/admin/changes/seen/", {"until": timezone.now().isoformat()}).status_code in (302, 403)
    assert not DashboardSeen.objects.exists()


def test_a_bad_mark_changes_nothing(client):
    client.force_login(CoachFactory())
    for until in ("", "yesterday", "2026-01-01T10:00:00"):  # missing, garbage, without a zone
        assert client.post("/admin/changes/seen/", {"until": until}).status_code == 302
    assert not DashboardSeen.objects.exists()


def _panel_queries(coach) -> int:
    from django.test import RequestFactory
    from wagtail.admin.navigation import get_site_for_user

    from lessons.reports.changes_panel import changes_panel_for

    request = RequestFactory().get("/admin/")
    request.user = coach
    get_site_for_user(coach)  # Wagtail's dashboard reads the coach's page permissions before any panel
    with CaptureQueriesContext(connection) as queries:
        html = changes_panel_for(request).render_html()
    assert "Mark all as seen" in html
    return len(queries)


def test_the_panel_takes_the_same_queries_at_two_sizes(course, session, home_page):
    program, lessons = course
    coach = CoachFactory()
    assert is_coach(coach)  # the role's one query, kept on the user as in a request
    _history(program, lessons, session, at=timezone.now() - DAY, n=1)
    small = _panel_queries(coach)
    other, _, more_lessons = make_course(home_page, modules=1, lessons=2, slug="second")
    _history(other, more_lessons, session, at=timezone.now() - DAY, n=12)
    _history(program, lessons, session, at=timezone.now() - 16 * DAY, n=5)  # these become stuck
    large = _panel_queries(coach)
    assert small == large == 1, (small, large)  # the mark, every count and the page facts: one query

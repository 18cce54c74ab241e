"""The coach's list of reflections shared with her: only what is shared now, newest first, the
dashboard's count and the list agree, nobody but the coach sees it, and a fixed number of queries."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons.models import ReflectionAnswer, ReflectionSharing
from lessons.reports.changes import changes_since_last_look
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db
URL = "/admin/program-reports/reflections/"
DAY = timedelta(days=1)


@pytest.fixture
def course(home_page):
    program, _, lessons = make_course(home_page, modules=1, lessons=2)
    return program, lessons


def _leader(program, *, name, shares=True):
    leader = UserFactory(full_name=name)
    enrol(leader, program)
    ReflectionSharing.objects.create(user=leader, share_with_coach=shares)
    return leader


def _reflect(leader, lesson, *, answer, at=None, block="b"):
    return ReflectionAnswer.objects.create(
        user=leader,
        lesson=lesson,
        block_id=block,
        prompt="What will you try?",
        answer=answer,
        updated_at=at or timezone.now(),
    )


def test_the_coach_sees_only_shared_reflections_newest_first(client, course):
    program, lessons = course
    ann = _leader(program, name="Ann Lee")
    _reflect(ann, lessons[0], answer="Older answer", at=timezone.now() - 2 * DAY)
    _reflect(ann, lessons[1], answer="Newer answer", at=timezone.now() - DAY)
    private = _leader(program, name="Pat Private", shares=False)
    _reflect(private, lessons[0], answer="Kept to myself")
    never = UserFactory(full_name="Nina Nochoice")  # never chose: private by default
    enrol(never, program)
    _reflect(never, lessons[0], answer="No choice made")
    client.force_login(CoachFactory())

    html = client.get(URL).content.decode()

    assert "Ann Lee" in html and html.index("Newer answer") < html.index("Older answer")
    assert "What will you try?" in html and "2 reflections." in html
    assert f'href="{lessons[1].url}"' in html  # the lesson, linked
    assert f'href="/admin/program-reports/{program.pk}/learners/{ann.pk}/"' in html  # the learner page
    for secret in ("Kept to myself", "No choice made", "Pat Private", "Nina Nochoice"):
        assert secret not in html

    ReflectionSharing.objects.filter(user=ann).update(share_with_coach=False)  # Ann stops sharing
    html = client.get(URL).content.decode()
    assert "Newer answer" not in html and "Ann Lee" not in html and "No shared reflections" in html


def test_program_filter_and_pagination(client, home_page, course):
    program, lessons = course
    other_program, _, other_lessons = make_course(home_page, modules=1, lessons=1, slug="other")
    ann = _leader(program, name="Ann Lee")
    bo = _leader(other_program, name="Bo Other")
    _reflect(bo, other_lessons[0], answer="In the other program")
    now = timezone.now()
    for n in range(27):
        _reflect(ann, lessons[0], answer=f"Answer number {n:02d}", at=now - n * timedelta(minutes=1), block=f"b{n}")
    client.force_login(CoachFactory())

    first = client.get(URL, {"program": program.pk}).content.decode()
    assert "27 reflections." in first and "Answer number 00" in first and "Answer number 24" in first
    assert "Answer number 25" not in first and "In the other program" not in first
    assert f"program={program.pk}&amp;p=2" in first
    second = client.get(URL, {"program": program.pk, "p": 2}).content.decode()
    assert "Answer number 25" in second and "Answer number 26" in second and "Answer number 00" not in second
    other = client.get(URL, {"program": other_program.pk}).content.decode()
    assert "In the other program" in other and "Answer number" not in other
    bad = client.get(URL, {"since": "not a date", "program": "x"})
    assert bad.status_code == 200 and "Some filters were not applied" in bad.content.decode()


def test_the_dashboard_count_links_to_the_same_reflections(client, course):
    program, lessons = course
    now = timezone.now()
    ann = _leader(program, name="Ann Lee")
    _reflect(ann, lessons[0], answer="Inside the window", at=now - 2 * DAY)
    _reflect(ann, lessons[1], answer="Before the window", at=now - 9 * DAY)
    _reflect(_leader(program, name="Pat", shares=False), lessons[0], answer="Private", at=now - DAY)
    coach = CoachFactory()

    row = next(r for r in changes_since_last_look(user=coach, now=now).rows if r.key == "reflections")
    assert row.count == 1
    assert row.url == URL + "?" + urlencode({"since": (now - 7 * DAY).isoformat(), "until": now.isoformat()})
    _reflect(ann, lessons[0], answer="Arrived after the panel", block="late", at=now + timedelta(seconds=1))

    client.force_login(coach)
    html = client.get(row.url).content.decode()
    assert f"{row.count} reflection." in html and "Inside the window" in html
    assert "Before the window" not in html and "Private" not in html and "Arrived after the panel" not in html
    dashboard = client.get("/admin/").content.decode()
    assert f'href="{URL}?since=' in dashboard
    day = client.get(URL, {"since": (now - 3 * DAY).date().isoformat()}).content.decode()  # a date typed by hand
    assert "Inside the window" in day and "Arrived after the panel" in day and "Before the window" not in day


def test_nobody_but_the_coach_sees_the_list(client, course):
    program, lessons = course
    leader = _leader(program, name="Ann Lee")
    _reflect(leader, lessons[0], answer="Only for the coach")
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    admin_user = UserFactory(is_staff=True)  # may open the admin, but is not the coach
    admin_user.groups.add(reviewers)
    plain_staff = UserFactory(is_staff=True)

    response = client.get(URL)  # anonymous: Wagtail's login, as for the other coach reports
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (leader, UserFactory(), plain_staff):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code in (302, 404)
        assert response.status_code != 302 or "/login/" in response["Location"]
        assert "Only for the coach" not in response.content.decode()
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 404 and "Only for the coach" not in response.content.decode()


def test_a_fixed_number_of_queries_however_many_reflections(client, home_page, course):
    program, lessons = course
    make_course(home_page, modules=1, lessons=1, slug="other")
    client.force_login(CoachFactory())

    def grow(n):
        for _ in range(n):
            leader = _leader(program, name="Leader")
            for lesson in lessons:
                _reflect(leader, lesson, answer="An answer")

    def queries():
        client.get(URL)  # warm the caches (site root paths, menu)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    grow(2)
    small = queries()
    grow(20)
    large = queries()
    assert small == large and large <= 12, (small, large)

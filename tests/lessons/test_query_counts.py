"""Lesson page and dashboard render in a fixed number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from accounts.auth_backends import ModelBackend
from home.core.caching.urls import site_root_paths
from lessons.models import Commitment, LessonProgress, ReflectionAnswer
from lessons.selectors import bump_structure_version
from program.learner_data import learner_changed
from tests.factories import UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db

BUDGET = 12


def _build(home_page, *, modules, lessons, learners):
    program, all_modules, all_lessons = make_course(home_page, modules=modules, lessons=lessons)
    quiz = make_lesson(all_modules[0], title="Quiz lesson", slug="quiz", body=QUIZ_BODY)
    leader = UserFactory()
    enrol(leader, program)
    now = timezone.now()
    others = [UserFactory.build(email=f"x{i}@example.com") for i in range(learners)]
    from accounts.models import User

    User.objects.bulk_create(others)
    others = list(User.objects.filter(email__startswith="x"))
    for other in others:
        enrol(other, program)
    rows = [
        LessonProgress(user=u, lesson=lesson, program=program, completed_at=now)
        for u in [leader, *others]
        for lesson in all_lessons[: len(all_lessons) // 2]
    ]
    LessonProgress.objects.bulk_create(rows)
    ReflectionAnswer.objects.bulk_create(
        [
            ReflectionAnswer(user=leader, lesson=lesson, block_id=f"b{lesson.pk}", prompt="p", answer="a")
            for lesson in all_lessons[:20]
        ]
    )
    return program, quiz, leader


def _count(client, url, leader=None):
    """Queries of one request; with `leader`, of a request that renders the page afresh (their
    kept lesson body forgotten, as after any write of theirs: lessons/page_body.py)."""
    if leader is not None:
        learner_changed(leader.pk)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("path", ["/program/m1/quiz/", "/dashboard/", "/program/m2/l3/"])
def test_pages_use_the_same_fixed_number_of_queries_small_and_large(
    client, home_page, path, django_assert_max_num_queries
):
    program, quiz, leader = _build(home_page, modules=2, lessons=3, learners=2)
    client.force_login(leader)
    client.get(path)  # warm caches (site root paths, settings)
    small, _ = _count(client, path, leader)

    # Now a large program in a second site tree is not needed: grow THIS program to 20 x 15.
    from tests.lessons.factories import make_module

    for m in range(3, 21):
        module = make_module(program, title=f"Module {m}", slug=f"m{m}")
        for n in range(15):
            make_lesson(module, title=f"L {m}.{n}", slug=f"l{n + 1}")
    from accounts.models import User

    extra = [UserFactory.build(email=f"y{i}@example.com") for i in range(60)]
    User.objects.bulk_create(extra)
    for other in User.objects.filter(email__startswith="y"):
        enrol(other, program)
    client.get(path)  # the new pages moved the outline cache's version: warm it again
    large, response = _count(client, path, leader)
    assert large == small
    if path != "/dashboard/":
        with django_assert_max_num_queries(BUDGET):
            client.get(path)
        bump_structure_version()  # as after a publish: the outline is rebuilt, still within budget
        with django_assert_max_num_queries(BUDGET):
            client.get(path)


def test_learning_panel_uses_one_query(rf, home_page, django_assert_num_queries):
    from lessons.dashboard import learning_panel

    program, quiz, leader = _build(home_page, modules=3, lessons=5, learners=5)
    Commitment.objects.create(user=leader, lesson=quiz, block_id="c1", action="Post the board", tracker_step=2)
    request = rf.get("/dashboard/")
    request.user = ModelBackend().get_user(leader.pk)  # as a request loads it (the coach answer included)
    bump_structure_version()
    site_root_paths()  # Wagtail's site root paths: kept per sites version, which no publish here moves
    with django_assert_num_queries(3):  # cold: the program page and its outline are read once and kept
        learning_panel(request)
    with django_assert_num_queries(1):
        panel = learning_panel(request)
    state = panel["states"][0]
    assert state.program.pk == program.pk and state.program.title == program.title
    assert state.enrollment.is_active
    assert state.done_count > 0
    assert [c.text for c in panel["commitments"]] == ["Post the board"]
    assert len(panel["reflections"]) == 3  # the three most recent of twenty
    Page.objects.filter(pk=quiz.pk).update(live=False)  # an unpublished lesson's answers drop out
    assert learning_panel(request)["commitments"] == []


def test_whole_dashboard_within_budget(client, home_page, django_assert_max_num_queries):
    program, quiz, leader = _build(home_page, modules=2, lessons=3, learners=2)
    client.force_login(leader)
    client.get("/dashboard/")
    with django_assert_max_num_queries(BUDGET):
        client.get("/dashboard/")


def test_whole_dashboard_with_tracker_teams_within_budget(client, home_page, django_assert_num_queries):
    """A leader with two tracker teams full of data (members, metrics, a year of targets and results).

    The tracker panels share one access check and one teams query (with the consistency settings
    joined in), asked on every request. Their HTML is cached per version of the shown teams' data
    (tracker/views/dashboard_panels.py): warm, the page is the session, the learning panel's UNION
    and the teams query (3; it was 4 with the summary's UNION run on every view). Cold (the first
    view after a write to one of the teams) both panels' events UNION and the report's members,
    metrics and values UNION follow (5; it was 8 with the summary's own UNION and the report's four
    queries, 17 before the learning panel and the tracker summaries became single UNIONs)."""
    from tracker.bulk_sample import build_team
    from tracker.data_version import bump_data_version
    from tracker.models import Team

    program, quiz, leader = _build(home_page, modules=2, lessons=3, learners=2)
    build_team(leader=leader, members=25, months=12)
    Team.objects.filter(leader=leader).update(name="North")
    build_team(leader=leader, members=10, months=6, seed=3)
    other = build_team(leader=UserFactory(), members=2, months=1)  # someone else's team
    client.force_login(leader)
    client.get("/dashboard/")  # warms the site/outline caches; the next tracker write makes the panels cold
    bump_data_version(team_id=Team.objects.get(name="North").pk)
    with django_assert_num_queries(5):
        response = client.get("/dashboard/")
    assert b"North" in response.content
    bump_data_version(team_id=other.pk)  # another team's write: these panels stay warm
    with django_assert_num_queries(3):
        response = client.get("/dashboard/")
    assert b"North" in response.content
    assert b"streak" in response.content
    bump_structure_version()  # a publish and a tracker write at once: outline, programs, menu, panels
    bump_data_version()
    with django_assert_num_queries(6):  # 9 before the panels' events and the report's rows became UNIONs
        response = client.get("/dashboard/")
    assert b"North" in response.content


@pytest.mark.parametrize("kept", [False, True])
def test_the_lesson_page_makes_the_pages_own_context_once(client, home_page, kept):
    """Rendered afresh or served from the kept body: `LessonPage.get_context` runs once a request."""
    from unittest import mock

    from lessons.models import LessonPage

    program, quiz, leader = _build(home_page, modules=1, lessons=2, learners=0)
    client.force_login(leader)
    client.get(quiz.url)  # warm (and keeps the body)
    if not kept:
        learner_changed(leader.pk)
    with mock.patch.object(LessonPage, "get_context", autospec=True, side_effect=LessonPage.get_context) as made:
        assert client.get(quiz.url).status_code == 200
    assert made.call_count == 1

"""The signed-in leader's lesson page body, kept per version of what it shows (lessons/page_body.py).

Every test goes through the cache as the site does: it warms the page, checks that the next
request is served from the kept body (no query for the leader's rows), makes a change as the site
or the admin makes it, and checks that the next request renders afresh and shows the change.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.core.caching.csrf_slot import CSRF_SLOT
from lessons.models import (
    Commitment,
    LessonPage,
    LessonProgress,
    ModulePage,
    ModuleUnlock,
    QuizAttempt,
    ReflectionAnswer,
)
from program.certificates.models import Certificate
from program.models import Enrollment
from program.services import enrollment_revoke
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson, make_module

pytestmark = pytest.mark.django_db

QUIZ_URL = "/program/m1/quiz/"
PLAIN_URL = "/program/m1/l1/"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def course(home_page):
    program, modules, lessons = make_course(home_page, modules=2, lessons=2)
    quiz = make_lesson(modules[0], title="Quiz lesson", slug="quiz", body=QUIZ_BODY)
    return program, modules, lessons, quiz


def _leader(program) -> Client:
    leader = UserFactory()
    enrol(leader, program)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(leader)
    client.leader = leader
    return client


def _get(client: Client, url: str) -> tuple[str, bool]:
    """The page's HTML and whether it came from the kept body (no query for the leader's rows)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    rows_read = any(
        q["sql"].lstrip().upper().startswith("SELECT") and LessonProgress._meta.db_table in q["sql"]
        for q in queries.captured_queries
    )
    return response.content.decode(), not rows_read


def _warm(client: Client, url: str) -> str:
    _get(client, url)  # records the opening (a write: the version moves)
    _get(client, url)  # renders and keeps the body
    html, kept = _get(client, url)
    assert kept, "the third request should be served from the kept body"
    return html


def _block_id(lesson, block_type: str) -> str:
    return next(block.id for block in LessonPage.objects.get(pk=lesson.pk).body if block.block_type == block_type)


def test_the_kept_body_reads_as_the_live_one_with_a_fresh_token(course):
    client = _leader(course[0])
    _get(client, QUIZ_URL)
    live, kept = _get(client, QUIZ_URL)
    assert not kept
    again, kept = _get(client, QUIZ_URL)
    assert kept
    assert _TOKEN.sub("", again) == _TOKEN.sub("", live)
    assert CSRF_SLOT not in again
    assert len(_TOKEN.findall(again)) == len(_TOKEN.findall(live)) == 5  # quiz, reflection, commitment, header
    assert set(_TOKEN.findall(again)).isdisjoint(_TOKEN.findall(live))  # each request masks its own token


def test_one_leaders_body_never_reaches_another(course):
    program, _, _, quiz = course
    alice, bob = _leader(program), _leader(program)
    ReflectionAnswer.objects.create(
        user=alice.leader, lesson=quiz, block_id=_block_id(quiz, "reflection"), answer="Only Alice wrote this"
    )
    assert "Only Alice wrote this" in _warm(alice, QUIZ_URL)
    html, kept = _get(bob, QUIZ_URL)
    assert not kept and "Only Alice wrote this" not in html and "Save my answer" in html
    assert "Only Alice wrote this" not in _warm(bob, QUIZ_URL)
    # The same browser, signed in as Bob after Alice: Bob's own body, never Alice's kept one.
    alice.force_login(bob.leader)
    html = _warm(alice, QUIZ_URL)
    assert "Only Alice wrote this" not in html and "Save my answer" in html
    keys = [key for key in cache._cache if "lessons:page-body:" in key]
    assert {key.split("lessons:page-body:")[1].split(":")[0] for key in keys} == {
        str(alice.leader.pk),
        str(bob.leader.pk),
    }


def _post(client: Client, url: str, data: dict | None = None) -> None:
    assert client.post(url, data or {}).status_code == 302


@pytest.mark.parametrize("write", ["reflection", "commitment", "commitment_done", "quiz", "complete"])
def test_each_write_the_page_shows_is_shown_on_the_next_request(course, write):
    program, _, lessons, quiz = course
    client = _leader(program)
    url = PLAIN_URL if write == "complete" else QUIZ_URL
    if write == "commitment_done":
        _post(client, reverse("lessons:commit", args=[quiz.pk, _block_id(quiz, "apply_it")]))
    before = _warm(client, url)
    if write == "reflection":
        _post(client, reverse("lessons:reflection", args=[quiz.pk, _block_id(quiz, "reflection")]), {"answer": "Mine"})
        expected = "Mine</textarea>"
    elif write == "commitment":
        _post(client, reverse("lessons:commit", args=[quiz.pk, _block_id(quiz, "apply_it")]))
        expected = "Committed "
    elif write == "commitment_done":
        _post(client, reverse("lessons:commitment_done", args=[Commitment.objects.get().pk]), {"next": url})
        expected = 'badge--success">Done '
    elif write == "quiz":
        block = _block_id(quiz, "knowledge_check")
        _post(client, reverse("lessons:quiz", args=[quiz.pk]), {f"q-{block}-0": "0", f"q-{block}-1": "2"})
        html, kept = _get(client, url)  # the result waits in the session: rendered live, not kept
        assert not kept and "You scored" in html
        expected = "Best score so far: 50 %"
    else:
        _post(client, reverse("lessons:complete", args=[lessons[0].pk]))
        expected = "You completed this lesson"
    assert expected not in before
    html, kept = _get(client, url)
    assert not kept and expected in html
    assert expected in _warm(client, url)


def test_an_enrollment_revoked_shows_at_once_by_the_service_or_in_bulk(course):
    program = course[0]
    for revoke in ("service", "bulk"):
        client = _leader(program)
        assert "SECRET body of Lesson 1.1" in _warm(client, PLAIN_URL)
        enrollment = Enrollment.objects.get(user=client.leader)
        if revoke == "service":
            enrollment_revoke(enrollment=enrollment, reason="refund")
        else:
            Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.REVOKED)
        html, kept = _get(client, PLAIN_URL)
        assert not kept and "SECRET" not in html


def test_bulk_writes_and_unlocks_move_the_version(course):
    program, modules, _, _ = course
    client = _leader(program)
    writes = [
        lambda: LessonProgress.objects.filter(user=client.leader).update(completed_at=timezone.now()),
        lambda: ModuleUnlock.objects.create(module=modules[1], user=None),  # for everyone
        lambda: ModuleUnlock.objects.filter(user=None).delete(),
        lambda: ModuleUnlock.objects.create(module=modules[1], user=client.leader),
    ]
    for write in writes:
        _warm(client, PLAIN_URL)
        write()
        assert _get(client, PLAIN_URL)[1] is False


def test_every_model_the_page_shows_moves_the_version_on_save_and_delete():
    for model in (Enrollment, LessonProgress, QuizAttempt, ReflectionAnswer, Commitment, ModuleUnlock, Certificate):
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model


def test_a_dripped_module_opening_renders_the_page_again(course, monkeypatch):
    program, _, _, _ = course
    later = make_module(program, title="Later", slug="later", drip=ModulePage.Drip.DAYS, drip_days=7)
    make_lesson(later, title="Locked", slug="locked")
    client = _leader(program)
    _warm(client, PLAIN_URL)
    opens = Enrollment.objects.get(user=client.leader).enrolled_at + timedelta(days=7)
    monkeypatch.setattr(timezone, "now", lambda: opens + timedelta(seconds=1))
    html, kept = _get(client, PLAIN_URL)
    assert not kept


def test_page_changes_show_on_the_next_request(course):
    program, _, lessons, _ = course
    client = _leader(program)
    _warm(client, PLAIN_URL)
    page = LessonPage.objects.get(pk=lessons[0].pk)
    page.title = "Renamed lesson"
    page.save_revision().publish()
    html, kept = _get(client, PLAIN_URL)
    assert not kept and "Renamed lesson" in html
    _warm(client, PLAIN_URL)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get(PLAIN_URL)
    assert "SECRET" not in response.content.decode()
    PageViewRestriction.objects.all().delete()
    _warm(client, PLAIN_URL)
    LessonPage.objects.get(pk=page.pk).unpublish()
    assert client.get(PLAIN_URL).status_code == 404


def test_a_change_to_the_leader_renders_the_page_again(course):
    client = _leader(course[0])
    _warm(client, PLAIN_URL)
    client.leader.time_zone = "Asia/Tokyo"
    client.leader.save()
    assert _get(client, PLAIN_URL)[1] is False


def test_an_opening_a_minute_later_is_recorded_from_the_kept_body(course, monkeypatch):
    client = _leader(course[0])
    _warm(client, PLAIN_URL)
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _get(client, PLAIN_URL)[1] is True  # served from the kept body, and the opening recorded
    assert LessonProgress.objects.get(user=client.leader).last_opened_at == later
    assert _get(client, PLAIN_URL)[1] is False  # the write moved the version


def test_a_preview_is_never_kept_nor_served_from_a_kept_body(course):
    program, _, lessons, _ = course
    staff = StaffFactory()
    enrol(staff, program)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(staff)
    _warm(client, PLAIN_URL)
    page = LessonPage.objects.get(pk=lessons[0].pk)
    page.title = "Draft title"
    page.save_revision()  # a draft: not published
    stored = len([key for key in cache._cache if "lessons:page-body:" in key])
    for _ in range(2):
        response = client.get(f"/admin/pages/{page.pk}/view_draft/")
        assert response.status_code == 200 and "Draft title" in response.content.decode()
    assert len([key for key in cache._cache if "lessons:page-body:" in key]) == stored
    html, _ = _get(client, PLAIN_URL)
    assert "Draft title" not in html

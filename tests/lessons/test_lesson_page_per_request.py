"""Issue 16's guard: what one warm request for the leader's lesson page may do, counted, not timed.

The lesson page is the page a leader opens most. On a warm request (the leader's visit again
within a minute, caches filled) its body comes from the leader's kept body (lessons/page_body.py:
kept per version of the lesson, the leader's learning rows and the leader) and it reads nothing it
already holds: no query for the leader's rows, no write (progress is recorded at most once a
minute), no session save, no shared-cache write, and a fixed set of templates (the page around the
body). The first request after any write renders the body afresh: that path is counted too. Each
count below is what the page did when issue 16 was closed; a change that adds one makes this test
fail by name.
"""

from collections import Counter

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from program.learner_data import learner_changed
from tests.factories import UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db

LESSON_URL = "/program/m1/quiz/"
READS = ("get", "get_many", "has_key")
WRITES = ("set", "set_many", "add", "incr", "decr", "delete", "delete_many", "touch", "clear")


@pytest.fixture
def leader_on_lesson(home_page):
    program, modules, _ = make_course(home_page, modules=2, lessons=3)
    make_lesson(modules[0], title="Quiz lesson", slug="quiz", body=QUIZ_BODY)  # every per-user block
    leader = UserFactory()
    enrol(leader, program)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(leader)
    # The first visit records the opening (a write: the leader's version moves), the second renders
    # the body and keeps it.
    for _ in range(2):
        assert client.get(LESSON_URL).status_code == 200
    client.leader = leader
    return client


def _counted(monkeypatch, client, *, drop_csrf_cookie: bool = False):
    """One request, with every shared-cache call, session save, query and template counted."""
    calls: Counter = Counter()
    backend = caches["default"]
    inside = []  # a backend's get_many may call its own get: count the outer call only
    for name in READS + WRITES:
        original = getattr(backend, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            if not inside:
                calls[_name] += 1
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, name, counting)
    saves = []
    store = type(client.session)  # the configured engine's SessionStore
    real_save = store.save
    monkeypatch.setattr(store, "save", lambda self, *a, **k: saves.append(1) or real_save(self, *a, **k))
    if drop_csrf_cookie:  # as the bench's HTTP client: only the session cookie, every time
        client.cookies.pop("csrftoken", None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LESSON_URL)
    monkeypatch.undo()
    assert response.status_code == 200
    return response, calls, saves, [q["sql"] for q in queries.captured_queries]


def test_a_warm_lesson_request_reads_only_what_it_must(monkeypatch, leader_on_lesson):
    response, calls, saves, sqls = _counted(monkeypatch, leader_on_lesson)
    # Database sessions in the test settings (Redis in production): the session, and the check that
    # the lesson routing kept in this process is still live at this address (home.core.caching.routing:
    # the leader's rows query makes it when the body is rendered). The user (with the coach answer and
    # her permissions) comes from the shared cache (accounts/user_cache.py), the body from the
    # leader's kept body: no query for the leader's rows.
    assert len(sqls) == 2, sqls
    assert "django_session" in sqls[0] and 'FROM "wagtailcore_page" WHERE "id" = ' in sqls[1], sqls
    # Two round trips here: the user's entries, then the version counters the body's key is made of.
    # (With production's Redis sessions both ride on the session's own read: tests/accounts/test_sessions.py.)
    # The body itself comes from this process's recent bodies. Nothing written to the shared cache.
    assert sum(calls[name] for name in READS) == 2, calls
    assert not [name for name in WRITES if calls[name]], calls
    assert saves == []  # the session is read, never written back
    assert "sessionid" not in response.cookies


def test_a_warm_lesson_request_renders_a_fixed_set_of_templates(monkeypatch, leader_on_lesson):
    response, *_ = _counted(monkeypatch, leader_on_lesson)
    rendered = Counter(template.name for template in response.templates)
    # The body is the leader's kept one; the header and footer come from shared fragments, the
    # header's account links rendered once for its two menus.
    page = {
        "lessons/lesson_page.html": 1,
        "base.html": 1,
        "includes/header.html": 1,
        "includes/header_account.html": 1,
        "includes/messages.html": 1,
    }
    assert rendered == Counter(page), rendered
    # After a write of the leader's the body renders afresh: its shared blocks come from the cache
    # as HTML; only the per-user blocks (knowledge check, reflection, apply it) render.
    learner_changed(leader_on_lesson.leader.pk)
    response, *_ = _counted(monkeypatch, leader_on_lesson)
    rendered = Counter(template.name for template in response.templates)
    assert rendered == Counter(
        {
            **page,
            "lessons/includes/lesson_body.html": 1,
            "lessons/blocks/knowledge_check.html": 1,
            "lessons/blocks/reflection.html": 1,
            "lessons/blocks/apply_it.html": 1,
            "lessons/includes/continue.html": 1,
        }
    ), rendered


def test_the_first_request_after_a_write_reads_the_rows_once_and_keeps_the_body(monkeypatch, leader_on_lesson):
    learner_changed(leader_on_lesson.leader.pk)
    response, calls, saves, sqls = _counted(monkeypatch, leader_on_lesson)
    # The session and the leader's rows (outline progress, enrollment, answers) in one UNION.
    assert len(sqls) == 2, sqls
    assert not [sql for sql in sqls if not sql.lstrip().upper().startswith("SELECT")], sqls
    # The user's entries, the counters, the kept body (missing); one write: the body kept.
    assert sum(calls[name] for name in READS) == 3, calls
    assert [name for name in WRITES if calls[name]] == ["set"] and calls["set"] == 1, calls
    assert saves == []


def test_a_client_without_the_csrf_cookie_costs_no_more_than_a_new_token(monkeypatch, leader_on_lesson):
    """The bench's HTTP client sends the session cookie only: the page then sets a CSRF cookie
    (its forms need one) and does nothing else more: no query, no cache call, no session save."""
    _, warm_calls, _, warm_sqls = _counted(monkeypatch, leader_on_lesson)
    response, calls, saves, sqls = _counted(monkeypatch, leader_on_lesson, drop_csrf_cookie=True)
    assert "csrftoken" in response.cookies
    assert len(sqls) == len(warm_sqls)
    assert calls == warm_calls
    assert saves == []

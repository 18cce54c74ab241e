"""The continue buttons and the coming steps built in Python (lessons/panel_html.py) are the markup
of the templates the lesson and module pages still include (continue.html, next_opening.html,
drip_dates.html), for every branch: not started, under way, last visited, waiting for a step by
date or by the previous step, nothing left open, completed with and without new lessons. The
learner dashboard's panel keeps its headings, links, forms and empty states."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from lessons.panel_html import continue_html, drip_dates_html
from lessons.selectors import LessonItem, ModuleItem, ProgramState

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def _lesson(pk, *, done=False, opened=None, required=True, locked=False, new=False):
    return LessonItem(
        id=pk,
        title=f"Lesson <{pk}> & co",
        url_path=f"/p/m/l{pk}/",
        module_id=1,
        required=required,
        free_preview=False,
        estimated_minutes=7,
        summary="",
        completed_at=NOW if done else None,
        last_opened_at=opened,
        locked=locked,
        url=f"/p/m/l{pk}/?x=1&y=2",
        new_since_finished=new,
    )


def _module(number, lessons, *, locked=False, opens_at=None):
    module = ModuleItem(id=number, title=f"Step «{number}»", url_path="", summary="", drip="", drip_days=0)
    module.lessons, module.locked, module.opens_at, module.number = lessons, locked, opens_at, number
    return module


def _state(modules, *, completed_at=None, enrolled=True, coach=False):
    enrollment = SimpleNamespace(completed_at=completed_at, is_active=True) if enrolled else None
    program = SimpleNamespace(title="Nine <Steps>", url_path="/p/", pk=1)
    return ProgramState(program=program, enrollment=enrollment, is_coach=coach, modules=modules)


def _states():
    later = NOW + timedelta(days=3)
    return {
        "not started": _state([_module(1, [_lesson(1), _lesson(2)])]),
        "under way, last visited elsewhere": _state(
            [_module(1, [_lesson(1, done=True, opened=NOW), _lesson(2, opened=NOW - timedelta(days=1)), _lesson(3)])]
        ),
        "last visited is the next lesson": _state([_module(1, [_lesson(1, opened=NOW)])]),
        "waiting for a date": _state(
            [
                _module(1, [_lesson(1, done=True, opened=NOW)]),
                _module(2, [_lesson(2, locked=True)], locked=True, opens_at=later),
                _module(3, [_lesson(3, locked=True)], locked=True),
            ]
        ),
        "waiting for the previous step": _state(
            [_module(1, [_lesson(1, done=True), _lesson(2, required=False, done=True)]), _module(2, [], locked=True)]
        ),
        "nothing open, nothing locked": _state([_module(1, [_lesson(1, required=False, done=True)])]),
        "completed": _state([_module(1, [_lesson(1, done=True, opened=NOW)])], completed_at=NOW - timedelta(days=40)),
        "completed, new lessons": _state(
            [_module(1, [_lesson(1, done=True), _lesson(2, new=True), _lesson(3, new=True)])], completed_at=NOW
        ),
        "all done, not marked completed": _state([_module(1, [_lesson(1, done=True, opened=NOW)])]),
        "not enrolled, locked steps": _state([_module(1, [_lesson(1)], locked=True, opens_at=later)], enrolled=False),
        "coach": _state([_module(1, [_lesson(1)])], enrolled=False, coach=True),
    }


def _same(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("name", list(_states()))
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_the_continue_buttons_are_the_templates_markup(name, zone):
    state = _states()[name]
    with timezone.override(zone):
        template = render_to_string("lessons/includes/continue.html", {"state": state})
        built = continue_html(state, url=lambda lesson: lesson.url)
    assert _same(built) == _same(template)
    assert "<Steps>" not in built and "<1>" not in built  # escaped as the template escapes


@pytest.mark.parametrize("name", list(_states()))
def test_the_coming_steps_are_the_templates_markup(name):
    state = _states()[name]
    with timezone.override("America/New_York"):
        assert _same(drip_dates_html(state)) == _same(
            render_to_string("lessons/includes/drip_dates.html", {"state": state})
        )


def test_the_waiting_state_names_the_date_and_the_previous_step():
    state = _states()["waiting for a date"]
    with timezone.override("UTC"):
        html = continue_html(state, url=lambda lesson: lesson.url) + drip_dates_html(state)
    assert "Step 2, Step «2», opens on Wednesday, December 2." in html
    assert '<time datetime="2026-12-02T09:30:00+00:00">December 2, 2026</time>' in html
    assert "Step 3: Step «3» · opens when you complete step 2" in html


@pytest.mark.django_db
def test_the_dashboard_panel_shows_each_leader_only_their_own(home_page):
    """Two leaders, one after the other on warm caches: each sees their answer and commitment, the
    "Mark done" form posts with this session's CSRF token, and text is escaped."""
    from django.test import Client

    from lessons.services import commitment_make, reflection_save
    from tests.factories import UserFactory
    from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    lesson = make_lesson(modules[0], title="Quotas <&>", slug="quotas", body=QUIZ_BODY)
    blocks = {b.block_type: b.id for b in lesson.body}
    leaders = [UserFactory(), UserFactory()]
    for leader, answer in zip(leaders, ["Jordan <b>first</b>", "Sam, second"], strict=True):
        enrol(leader, program)
        reflection_save(user=leader, lesson=lesson, block_id=blocks["reflection"], answer=answer)
    commitment = commitment_make(user=leaders[0], lesson=lesson, block_id=blocks["apply_it"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(leaders[0])
    first = client.get("/dashboard/").content.decode()
    assert "Jordan &lt;b&gt;first&lt;/b&gt;" in first and "Sam, second" not in first
    assert "Quotas &lt;&amp;&gt;" in first and 'aria-labelledby="learning-heading"' in first
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first[first.index("learning-heading") :]).group(1)
    assert f'action="/commitments/{commitment.pk}/done/"' in first
    done = f"/commitments/{commitment.pk}/done/"
    assert client.post(done, {"next": "/dashboard/"}).status_code == 403
    assert client.post(done, {"csrfmiddlewaretoken": token, "next": "/dashboard/"}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.done_at is not None
    client.force_login(leaders[1])
    second = client.get("/dashboard/").content.decode()
    assert "Sam, second" in second and "Jordan" not in second
    assert "No open commitments." in second and "Mark done" not in second

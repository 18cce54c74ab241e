"""The leader's printable page of reflections and commitments, and the choice to share them."""

import pytest

from lessons.models import ReflectionSharing
from lessons.services import commitment_make, reflection_save
from tests.factories import UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson

pytestmark = pytest.mark.django_db
URL = "/my-learning/reflections/"


@pytest.fixture
def leader(home_page):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    lesson = make_lesson(modules[0], title="Quotas", slug="quotas", body=QUIZ_BODY)
    leader = UserFactory()
    enrol(leader, program)
    blocks = {b.block_type: b.id for b in lesson.body}
    reflection_save(user=leader, lesson=lesson, block_id=blocks["reflection"], answer="Jordan, about paperwork.")
    commitment_make(user=leader, lesson=lesson, block_id=blocks["apply_it"])
    return leader, lesson


def test_the_page_lists_my_answers_and_commitments_by_lesson(client, leader):
    user, lesson = leader
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Quotas" in html and "Jordan, about paperwork." in html
    assert "Send every rep their number on the first." in html and "open since" in html
    assert "Who on your team needs a conversation this week?" in html


def test_another_leader_sees_only_their_own(client, leader):
    client.force_login(UserFactory())
    html = client.get(URL).content.decode()
    assert "Jordan" not in html and "Nothing here yet" in html


def test_visitors_are_sent_to_log_in(client, leader):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_sharing_is_a_choice_that_can_be_taken_back(client, leader):
    user, _ = leader
    client.force_login(user)
    client.post(URL, {"share_with_coach": "on"})
    assert ReflectionSharing.objects.get(user=user).share_with_coach
    client.post(URL, {})  # unticked
    assert not ReflectionSharing.objects.get(user=user).share_with_coach


def test_a_printed_lesson_carries_my_answer_as_text(client, leader):
    user, lesson = leader
    client.force_login(user)
    html = client.get(lesson.url).content.decode()
    assert '<div class="print-only lesson-reflection__answer">Jordan, about paperwork.</div>' in html


def test_lessons_come_in_program_order_and_unpublished_ones_are_left_out(client, home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program, modules, lessons = make_course(home_page, modules=2, lessons=1)
    first = make_lesson(modules[0], title="Step one lesson", slug="one", body=QUIZ_BODY)
    second = make_lesson(modules[1], title="Step two lesson", slug="two", body=QUIZ_BODY)
    hidden = make_lesson(modules[1], title="Withdrawn lesson", slug="withdrawn", body=QUIZ_BODY)
    user = UserFactory()
    enrol(user, program)
    for lesson, answer in [(second, "Answer two"), (first, "Answer one"), (hidden, "Answer hidden")]:
        block = next(b.id for b in lesson.body if b.block_type == "reflection")
        reflection_save(user=user, lesson=lesson, block_id=block, answer=answer)
    hidden.unpublish()
    ReflectionSharing.objects.create(user=user, share_with_coach=True)
    client.force_login(user)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    assert html.index("Step one lesson") < html.index("Answer one") < html.index("Step two lesson")
    assert html.index("Step two lesson") < html.index("Answer two")
    assert "Withdrawn lesson" not in html and "Answer hidden" not in html
    assert 'name="share_with_coach" checked' in html and "Shared with the coach." in html
    ours = [q["sql"] for q in queries if "lessons_" in q["sql"]]
    assert len(ours) == 1 and "lessons_reflectionsharing" in ours[0]  # rows and the choice: one query

"""The coach's page for one leader: what it shows, consent for reflections, nudges, unlocks, who may see it."""

import pytest
from django.core import mail

from lessons.models import ModulePage, ModuleUnlock, Nudge, ReflectionSharing
from lessons.services import commitment_make, quiz_submit, reflection_save
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import QUIZ_BODY, enrol, make_lesson, make_module, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    first = make_module(program, title="Targets", slug="m1")
    second = make_module(program, title="Publish", slug="m2", drip=ModulePage.Drip.DAYS, drip_days=30)
    quiz = make_lesson(first, title="Quotas", slug="quotas", body=QUIZ_BODY)
    make_lesson(second, title="Post it", slug="post")
    return program, (first, second), quiz


@pytest.fixture
def leader(course):
    program, _, quiz = course
    leader = UserFactory(full_name="Ann Lee", company="Brightside Homes")
    enrol(leader, program)
    block = {b.block_type: b.id for b in quiz.body}
    quiz_submit(
        user=leader,
        lesson=quiz,
        answers={f"{block['knowledge_check']}-0": ["0"], f"{block['knowledge_check']}-1": ["1"]},
    )
    reflection_save(
        user=leader, lesson=quiz, block_id=block["reflection"], answer="Jordan needs a talk about paperwork."
    )
    commitment_make(user=leader, lesson=quiz, block_id=block["apply_it"])
    return leader


def _url(program, user):
    return f"/admin/program-reports/{program.pk}/learners/{user.pk}/"


def test_the_page_shows_progress_quizzes_commitments_and_keeps_reflections_private(client, course, leader):
    program, _, _ = course
    client.force_login(StaffFactory())
    html = client.get(_url(program, leader)).content.decode()
    assert "Ann Lee" in html and "Brightside Homes" in html
    assert "1. Targets" in html and "2. Publish" in html and "Locked until" in html
    assert "Quotas: 50 %" in html and "not yet passed" in html
    assert "Send every rep their number on the first." in html
    assert "Jordan needs a talk" not in html  # private unless shared
    assert "1 reflection written" in html
    ReflectionSharing.objects.create(user=leader, share_with_coach=True)
    html = client.get(_url(program, leader)).content.decode()
    assert "Jordan needs a talk about paperwork." in html


def test_the_learner_report_links_to_the_page(client, course, leader):
    program, _, _ = course
    client.force_login(StaffFactory())
    html = client.get(f"/admin/program-reports/{program.pk}/learners/").content.decode()
    assert f'href="{_url(program, leader)}"' in html


def test_the_coach_nudges_and_the_nudge_is_logged_and_listed(client, course, leader):
    program, _, _ = course
    coach = StaffFactory(full_name="Dana Coach")
    client.force_login(coach)
    mail.outbox.clear()
    response = client.post(
        _url(program, leader), {"action": "nudge", "subject": "Your next step", "body": "Ann, step 2 is worth it."}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [leader.email] and "step 2 is worth it" in message.body
    nudge = Nudge.objects.get()
    assert nudge.coach == coach and nudge.learner == leader and nudge.reason == "coach"
    html = client.get(_url(program, leader)).content.decode()
    assert "Your next step" in html and "by Dana Coach" in html


def test_an_empty_nudge_is_refused_with_a_message(client, course, leader):
    program, _, _ = course
    client.force_login(StaffFactory())
    mail.outbox.clear()
    response = client.post(_url(program, leader), {"action": "nudge", "subject": "", "body": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert Nudge.objects.count() == 0 and mail.outbox == []


def test_the_coach_unlocks_a_module_and_the_leader_is_told(client, course, leader):
    program, (first, second), _ = course
    coach = StaffFactory()
    client.force_login(coach)
    mail.outbox.clear()
    client.post(_url(program, leader), {"action": "unlock", "module": second.pk})
    unlock = ModuleUnlock.objects.get(module=second, user=leader)
    assert unlock.unlocked_by == coach
    assert [m.to for m in mail.outbox] == [[leader.email]]
    html = client.get(_url(program, leader)).content.decode()
    assert "Open (you unlocked it)" in html


@pytest.mark.parametrize("module", ["999999", "abc", ""])
def test_unlocking_something_else_changes_nothing(client, course, leader, module):
    program, _, _ = course
    client.force_login(StaffFactory())
    assert client.post(_url(program, leader), {"action": "unlock", "module": module}).status_code == 302
    assert ModuleUnlock.objects.count() == 0


def test_leaders_and_editors_who_are_not_the_coach_are_refused(client, course, leader):
    program, _, _ = course
    other = UserFactory()
    enrol(other, program)
    client.force_login(other)
    for response in (
        client.get(_url(program, leader)),
        client.post(_url(program, leader), {"action": "nudge", "subject": "x", "body": "y"}),
    ):
        assert response.status_code in (302, 403, 404)
        assert response.status_code != 302 or "/login/" in response["Location"]
        assert "Jordan" not in response.content.decode() and "Ann Lee" not in response.content.decode()
    # Someone who may open the admin but does not hold the coach permission gets a 404, not the page.
    from django.contrib.auth.models import Group, Permission

    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(reviewers)
    client.force_login(editor)
    assert client.get(_url(program, leader)).status_code == 404
    assert Nudge.objects.count() == 0


def test_someone_not_enrolled_in_the_program_is_a_404(client, course):
    program, _, _ = course
    client.force_login(StaffFactory())
    assert client.get(_url(program, UserFactory())).status_code == 404
    assert client.get(f"/admin/program-reports/{program.pk}/learners/99999/").status_code == 404


def test_a_fixed_number_of_queries_however_much_the_leader_did(client, course, leader, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lessons.nudges import nudge_send

    program, (first, _), quiz = course
    coach = StaffFactory()
    client.force_login(coach)
    client.get(_url(program, leader))  # warm the outline
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as before:
        client.get(_url(program, leader))
    for n in range(6):
        make_lesson(first, title=f"Extra {n}", slug=f"extra-{n}")
    for n in range(5):
        nudge_send(coach=coach, learners=[leader], subject=f"Nudge {n}", body="More")
    ModuleUnlock.objects.create(module=first, user=None)
    ReflectionSharing.objects.create(user=leader, share_with_coach=True)
    client.get(_url(program, leader))
    with CaptureQueriesContext(connection) as after:
        response = client.get(_url(program, leader))
    assert response.status_code == 200 and "Nudge 4" in response.content.decode()
    assert len(after) == len(before) <= 12

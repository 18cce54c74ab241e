"""Drip dates on the dashboard; 'your next step is open' emails, once per leader and module."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lessons.models import ModuleOpenNotice, ModulePage, ModuleUnlock
from lessons.notices import module_open_notices_send, module_unlock
from lessons.services import lesson_complete
from program.models import Enrollment
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import enrol, make_lesson, make_module, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Emails go out on commit; the test's transaction never commits, so run them at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    first = make_module(program, title="Targets", slug="m1")
    second = make_module(program, title="Publish", slug="m2", drip=ModulePage.Drip.DAYS, drip_days=7)
    third = make_module(program, title="Celebrate", slug="m3", drip=ModulePage.Drip.DAYS, drip_days=14)
    lessons = [make_lesson(first, title="Intro", slug="intro"), make_lesson(second, title="Post it", slug="post")]
    make_lesson(third, title="Party", slug="party")
    return program, (first, second, third), lessons


def _enrolled(program, days_ago: float):
    leader = UserFactory()
    enrollment = enrol(leader, program)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=timezone.now() - timedelta(days=days_ago))
    return leader


def test_dashboard_shows_each_locked_step_and_its_date(client, course):
    program, modules, lessons = course
    leader = _enrolled(program, days_ago=0)
    lesson_complete(user=leader, lesson=lessons[0])
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    opens = timezone.localtime(Enrollment.objects.get(user=leader).enrolled_at + timedelta(days=7))
    assert "Step 2: Publish · opens <time" in html and opens.strftime("%B %-d, %Y") in html
    assert "Step 3: Celebrate · opens" in html
    assert f"Step 2, Publish, opens on {opens.strftime('%A, %B %-d')}." in html  # instead of "open soon"
    assert "open soon" not in html


def test_a_module_that_opened_is_emailed_once(course):
    program, modules, _ = course
    leader = _enrolled(program, days_ago=7.5)  # step 2 opened half a day ago
    _enrolled(program, days_ago=3)  # nothing opened yet
    _enrolled(program, days_ago=40)  # opened long ago, before the window: not mailed now
    assert module_open_notices_send() == 1
    [message] = mail.outbox
    assert message.to == [leader.email]
    assert message.subject == "Step 2 of Nine Steps is open: Publish"
    assert "http://" in message.body and "/m2/" in message.body and "Post it" in message.body
    assert module_open_notices_send() == 0 and len(mail.outbox) == 1  # idempotent
    assert ModuleOpenNotice.objects.get().reason == "drip"


def test_revoked_leaders_are_not_emailed(course):
    program, _, _ = course
    leader = _enrolled(program, days_ago=7.5)
    Enrollment.objects.filter(user=leader).update(status=Enrollment.Status.REVOKED)
    assert module_open_notices_send() == 0


def test_coach_unlock_emails_at_once_and_only_once(course):
    program, modules, _ = course
    leader = _enrolled(program, days_ago=1)
    coach = StaffFactory()
    module_unlock(module=modules[2], user=leader, unlocked_by=coach, note="You are ready for this one.")
    [message] = mail.outbox
    assert "Your coach opened Step 3" in message.body and "You are ready for this one." in message.body
    module_unlock(module=modules[2], user=leader, unlocked_by=coach)
    assert module_open_notices_send() == 0 and len(mail.outbox) == 1
    assert ModuleUnlock.objects.filter(user=leader).count() == 1


def test_unlock_for_everyone_reaches_each_leader_it_held_back_through_the_scheduler(course):
    program, modules, _ = course
    held = _enrolled(program, days_ago=1)
    already_open = _enrolled(program, days_ago=20)  # step 3 opened for them long ago
    ModuleUnlock.objects.create(module=modules[2], user=None)
    assert module_open_notices_send() == 1
    assert mail.outbox[0].to == [held.email]
    assert not ModuleOpenNotice.objects.filter(user=already_open).exists()


def test_unlocking_an_open_module_sends_nothing(course):
    program, modules, _ = course
    leader = _enrolled(program, days_ago=1)
    module_unlock(module=modules[0], user=leader, unlocked_by=StaffFactory())
    assert mail.outbox == []


def test_management_command_and_task(course):
    program, _, _ = course
    _enrolled(program, days_ago=7.2)
    call_command("send_module_open_emails")
    assert len(mail.outbox) == 1
    from lessons.tasks import send_module_open_emails

    assert send_module_open_emails.enqueue().return_value == 0  # immediate backend in tests

"""Nudges: one logged email per leader, queued with its row, never twice for one occasion."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lessons.models import Nudge
from lessons.nudges import NudgeError, nudge_send
from lessons.privacy import lessons_export
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_email_and_one_log_row_per_learner():
    coach = StaffFactory(full_name="Dana Coach")
    first, second = UserFactory(full_name="Ann Lee"), UserFactory()
    sent = nudge_send(coach=coach, learners=[first, second], subject="Checking in", body="How is step 3 going?")
    assert len(sent) == 2 and Nudge.objects.count() == 2
    assert {m.to[0] for m in mail.outbox} == {first.email, second.email}
    message = next(m for m in mail.outbox if m.to == [first.email])
    assert message.subject == "Checking in"
    assert message.body.startswith("Hi Ann,") and "How is step 3 going?" in message.body
    assert "Dana Coach" in message.body and message.reply_to == [coach.email]
    nudge = Nudge.objects.get(learner=first)
    assert nudge.coach == coach and nudge.reason == Nudge.COACH and nudge.emailed_at is not None


def test_an_automatic_nudge_with_a_reason_link_and_occasion_is_sent_once():
    leader = UserFactory()
    kwargs = {
        "coach": None,
        "learners": [leader],
        "subject": "Your 1:1s slipped",
        "body": "Two 1:1s are overdue this month.",
        "reason": "step_slipped",
        "link": "https://huddle.example.com/tracker/",
        "occasion": "2026-11:step3",
    }
    assert len(nudge_send(**kwargs)) == 1
    assert nudge_send(**kwargs) == []  # the same occasion: nothing more
    assert len(mail.outbox) == 1 and "https://huddle.example.com/tracker/" in mail.outbox[0].body
    assert mail.outbox[0].reply_to == []
    assert len(nudge_send(**{**kwargs, "occasion": "2026-12:step3"})) == 1


def test_a_double_click_sends_once_but_later_the_same_words_go_again():
    coach, leader = StaffFactory(), UserFactory()
    nudge_send(coach=coach, learners=[leader], subject="Hi", body="Any news?")
    assert nudge_send(coach=coach, learners=[leader], subject="Hi", body="Any news?") == []
    Nudge.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert len(nudge_send(coach=coach, learners=[leader], subject="Hi", body="Any news?")) == 1


@pytest.mark.parametrize(
    ("subject", "body"), [("", "words"), ("Subject", "   "), ("x" * 201, "words"), ("Subject", "y" * 5001)]
)
def test_bad_input_sends_nothing(subject, body):
    with pytest.raises(NudgeError):
        nudge_send(coach=StaffFactory(), learners=[UserFactory()], subject=subject, body=body)
    assert Nudge.objects.count() == 0 and mail.outbox == []


def test_inactive_accounts_are_skipped():
    leader = UserFactory(is_active=False)
    assert nudge_send(coach=StaffFactory(), learners=[leader], subject="Hi", body="Hello") == []
    assert mail.outbox == []


def test_nudges_are_in_download_my_data_and_go_with_the_account():
    leader = UserFactory()
    nudge_send(coach=StaffFactory(), learners=[leader], subject="Hi", body="Keep going")
    assert lessons_export(leader)["nudges_received"][0]["body"] == "Keep going"
    leader.delete()
    assert Nudge.objects.count() == 0

"""The daily limit on tracker mail counts the person who actually sends it: a co-leader's
celebration notes and target sheets count against the co-leader, not the team's owner."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tracker import services
from tracker.models import Celebration, TargetCommunication, TeamCoLeader
from tracker.rules import add_months, month_start

from .factories import put

pytestmark = pytest.mark.django_db
LAST = add_months(month_start(timezone.localdate()), -1)


@pytest.fixture
def co_leader(team):
    co = UserFactory(email="co@example.com", full_name="Rosa Vega")
    TeamCoLeader.objects.create(team=team, user=co)
    return co


def _note(team, member, title="Great month") -> Celebration:
    return services.celebration_record(team=team, member=member, month=LAST, kind="custom", title=title, note="Bravo")


def _send_note(client, team, celebration, capture):
    with capture(execute=True):
        return client.post(
            reverse("tracker:celebration_note", args=[team.pk, celebration.pk]), {"note": "Bravo", "send": "1"}
        )


def test_a_co_leaders_celebration_notes_count_against_the_co_leader(
    team, members, leader, co_leader, client, settings, django_capture_on_commit_callbacks
):
    settings.TRACKER_LEADER_EMAILS_PER_DAY = 2
    ana = members[0]
    client.force_login(co_leader)
    for title in ("One", "Two"):
        _send_note(client, team, _note(team, ana, title), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].reply_to == ["co@example.com"] and "Rosa Vega" in mail.outbox[0].body  # the sender signs
    third = _note(team, ana, "Three")
    _send_note(client, team, third, django_capture_on_commit_callbacks)
    third.refresh_from_db()
    assert third.sent_at is None and len(mail.outbox) == 2  # the co-leader's own limit is reached
    # The owner's allowance is untouched by the co-leader's mail.
    services.celebration_send(celebration=third, sent_by=leader)
    services.celebration_send(celebration=_note(team, ana, "Four"), sent_by=leader)
    third.refresh_from_db()
    assert third.sent_at is not None


def test_a_co_leaders_target_sheets_count_against_the_co_leader(
    team, members, metrics, leader, co_leader, client, settings, django_capture_on_commit_callbacks
):
    settings.TRACKER_LEADER_EMAILS_PER_DAY = 2  # Ana and Ben have addresses: one send uses it all
    month = month_start(timezone.localdate())
    for member in members:
        put(member, metrics[0], month, 100)
    client.force_login(co_leader)
    client.post(reverse("tracker:communicate", args=[team.pk, month]), {"send": "everyone"})
    assert TargetCommunication.objects.get().sent_by == co_leader
    refused = client.post(reverse("tracker:communicate", args=[team.pk, month]), {"send": "everyone"}, follow=True)
    assert "today&#x27;s limit" in refused.content.decode()
    assert TargetCommunication.objects.get().last_sent_at == TargetCommunication.objects.get().sent_at  # refused
    # The owner can still send (their own count is 0), and sends to the same two.
    again = services.targets_communicate(team=team, month=month, sent_by=leader, everyone=True)
    assert sorted(again.sent_to) == sorted(m.pk for m in members[:2])

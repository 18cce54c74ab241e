"""Cancelling a scheduled 1:1: a confirmation first, then a METHOD:CANCEL (same UID, higher
SEQUENCE, STATUS:CANCELLED) emailed through the queue; notes are kept and the 1:1 no longer counts
as held for step 3 or the "1:1s left" reminder. Leaders and co-leaders only."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tracker import selectors, services
from tracker.models import OneOnOne, TeamCoLeader
from tracker.rhythm.dispatch import rhythm_reminders_send

from .factories import put
from .test_one_on_ones import LAST

HELD_AT = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)


def _scheduled(team, member):
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    return services.one_on_one_schedule(team=team, member=member, month=LAST, scheduled_at=when)


def _ics(message):
    name, content, mimetype = message.attachments[0]
    assert name == "one-on-one.ics" and mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(content)
    return cal, next(c for c in cal.walk("VEVENT"))


def _cancel_url(team, one):
    return reverse("tracker:one_on_one_cancel", args=[team.pk, one.pk])


def test_cancelling_asks_first_then_emails_a_cancel_with_the_same_uid_and_a_higher_sequence(
    team, members, metrics, leader, leader_client, django_capture_on_commit_callbacks
):
    one = _scheduled(team, members[0])
    page = leader_client.get(reverse("tracker:one_on_one", args=[team.pk, LAST, members[0].pk])).content.decode()
    assert _cancel_url(team, one) in page
    confirm = leader_client.get(_cancel_url(team, one))
    assert confirm.status_code == 200 and "Cancel this 1:1" in confirm.content.decode()
    assert OneOnOne.objects.get(pk=one.pk).cancelled_at is None  # the GET changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.post(_cancel_url(team, one))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.com", leader.email] and message.subject.startswith("Cancelled: 1:1")
    cal, event = _ics(message)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["uid"]) == one.ics_uid == f"tracker-1on1-{one.pk}@huddle"
    assert int(event["sequence"]) == one.sequence + 1 == 1
    assert str(event["status"]) == "CANCELLED"
    assert str(event["organizer"]) == f"mailto:{leader.email}"
    assert str(event["attendee"]) == "mailto:ana@example.com"
    stored = OneOnOne.objects.get(pk=one.pk)
    assert stored.cancelled_at is not None and stored.sequence == 1
    assert "cancelled" in leader_client.get(response.url).content.decode()


def test_a_held_1on1_with_notes_is_kept_marked_cancelled_and_no_longer_counts(
    team, members, metrics, leader_client, django_capture_on_commit_callbacks
):
    one = _scheduled(team, members[0])
    services.one_on_one_hold(
        team=team,
        member=members[0],
        month=LAST,
        held_at=HELD_AT,
        notes="Pipeline: two stalled contracts.",
        discussed_gap=True,
        agenda={},
    )
    assert selectors.team_month_reviews(team=team, month=LAST).done == 1
    confirm = leader_client.get(_cancel_url(team, one)).content.decode()
    assert "recorded as held" in confirm and "kept" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(_cancel_url(team, one))
    stored = OneOnOne.objects.get(pk=one.pk)
    assert stored.notes == "Pipeline: two stalled contracts." and stored.held_at is None
    reviews = selectors.team_month_reviews(team=team, month=LAST)
    assert reviews.done == 0
    assert next(r for r in reviews.rows if r.member == members[0]).status == "cancelled"
    page = leader_client.get(reverse("tracker:one_on_one", args=[team.pk, LAST, members[0].pk])).content.decode()
    assert "Pipeline: two stalled contracts." in page and "was cancelled" in page
    assert reverse("tracker:one_on_one_invite", args=[team.pk, one.pk]) not in page


def test_booking_again_lifts_the_cancel_and_the_invitation_replaces_it(team, members, metrics):
    one = _scheduled(team, members[0])
    services.one_on_one_cancel(one_on_one=one)
    with pytest.raises(ValidationError):
        services.one_on_one_invite_send(one_on_one=OneOnOne.objects.get(pk=one.pk))
    with pytest.raises(ValidationError):
        services.one_on_one_cancel(one_on_one=one)  # twice: refused
    again = _scheduled(team, members[0])  # even the same time: the calendar dropped the event
    assert again.pk == one.pk and again.cancelled_at is None and again.sequence == 2
    cal = icalendar.Calendar.from_ical(services.one_on_one_ics(one_on_one=again))
    event = next(c for c in cal.walk("VEVENT"))
    assert str(cal["method"]) == "REQUEST" and int(event["sequence"]) == 2 and str(event["status"]) == "CONFIRMED"


def test_only_a_scheduled_1on1_can_be_cancelled(team, members, metrics, leader_client):
    one = services.one_on_one_hold(
        team=team, member=members[1], month=LAST, held_at=HELD_AT, notes="", discussed_gap=False, agenda={}
    )
    with pytest.raises(ValidationError):
        services.one_on_one_cancel(one_on_one=one)
    assert leader_client.post(_cancel_url(team, one)).status_code == 302
    assert OneOnOne.objects.get(pk=one.pk).held_at is not None and mail.outbox == []


def test_a_co_leader_cancels_another_leader_gets_404_and_nothing_changes(
    team, members, metrics, client, intruder, intruder_client, django_capture_on_commit_callbacks
):
    one = _scheduled(team, members[2])  # Cy has no email: the leader's copy still goes
    own = intruder.tracker_teams.get()
    for url in (_cancel_url(team, one), _cancel_url(own, one)):  # the other's team, or their 1:1 through one's own
        for method in ("get", "post"):
            assert getattr(intruder_client, method)(url).status_code == 404, (method, url)
    assert OneOnOne.objects.get(pk=one.pk).cancelled_at is None and mail.outbox == []
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    client.force_login(co)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_cancel_url(team, one)).status_code == 302
    assert OneOnOne.objects.get(pk=one.pk).cancelled_at is not None
    assert mail.outbox[0].to == [team.leader.email]
    _, event = _ics(mail.outbox[0])
    assert "attendee" not in event


def test_a_cancelled_1on1_is_left_in_the_mid_month_reminder(team, members, metrics):
    nov = datetime.date(2026, 11, 1)
    for member in members:
        put(member, metrics[0], nov, 100, 90)
    held = datetime.datetime(2026, 12, 3, 15, tzinfo=datetime.UTC)
    for member in members[:2]:
        OneOnOne.objects.create(team=team, member=member, month=nov, scheduled_at=held, held_at=held, notes="n")
    services.one_on_one_cancel(one_on_one=OneOnOne.objects.get(member=members[1]))
    rhythm_reminders_send(now=datetime.datetime(2026, 12, 10, 15, tzinfo=datetime.UTC))
    message = next(m for m in mail.outbox if m.subject.startswith("1:1s left"))
    assert "Ben Cole" in message.subject and "Cy Lane" in message.subject and "Ana Diaz" not in message.subject

"""1:1s from each member's recurring slot: one click books this month's and emails the invitations."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tracker.models import OneOnOne
from tracker.services import one_on_ones_from_slots

pytestmark = pytest.mark.django_db


def test_slots_book_this_months_one_on_ones_once_and_email_invitations(
    team, members, django_capture_on_commit_callbacks
):
    ana, ben, cy = members
    for member, weekday in ((ana, 1), (ben, 3)):  # Tuesday, Thursday
        member.one_on_one_weekday, member.one_on_one_time = weekday, datetime.time(9, 30)
        member.save()
    today = datetime.date(2026, 12, 1)  # a Tuesday
    with django_capture_on_commit_callbacks(execute=True):
        booked = one_on_ones_from_slots(team=team, today=today)
    assert {o.member_id for o in booked} == {ana.pk, ben.pk}  # Cy has no slot
    days = {o.member_id: o.scheduled_at for o in OneOnOne.objects.all()}
    assert {o.month for o in OneOnOne.objects.all()} == {datetime.date(2026, 11, 1)}
    assert days[ana.pk].astimezone(datetime.UTC).date() == datetime.date(2026, 12, 8)  # next Tuesday
    assert days[ben.pk].astimezone(datetime.UTC).date() == datetime.date(2026, 12, 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "ben@example.com"]
    assert all(m.attachments for m in mail.outbox)
    assert one_on_ones_from_slots(team=team, today=today) == []  # booked ones are not booked twice


def test_button_is_for_the_teams_leader_only(team, members, leader_client, intruder):
    url = reverse("tracker:one_on_ones_from_slots", args=[team.pk])
    assert (
        "from each member"
        in leader_client.get(reverse("tracker:reviews_current", args=[team.pk]), follow=True).content.decode()
    )
    assert leader_client.post(url).status_code == 302
    other = Client()
    other.login(email=intruder.email, password=PASSWORD)
    assert other.post(url).status_code in (403, 404)


def test_member_form_sets_the_slot_and_a_post_without_it_keeps_it(team, members, leader_client):
    ana = members[0]
    url = reverse("tracker:member", args=[team.pk, ana.pk])
    base = {"name": "Ana Diaz", "email": "ana@example.com", "role": "", "start_date": "2024-01-15", "active": "on"}
    assert leader_client.post(url, {**base, "one_on_one_weekday": "2", "one_on_one_time": "10:00"}).status_code == 302
    ana.refresh_from_db()
    assert (ana.one_on_one_weekday, ana.one_on_one_time) == (2, datetime.time(10, 0))
    leader_client.post(url, base)
    ana.refresh_from_db()
    assert (ana.one_on_one_weekday, ana.one_on_one_time) == (2, datetime.time(10, 0))
    leader_client.post(reverse("tracker:members", args=[team.pk]), {**base, "name": "Dee", "one_on_one_weekday": "4"})
    assert team.members.get(name="Dee").one_on_one_weekday == 4

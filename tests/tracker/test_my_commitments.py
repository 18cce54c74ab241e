"""The team dashboard's "My commitments" (the leader's open "how I will help" items across all
members) and the communicate page's link to "remind only those"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tracker.models import ActionItem, OneOnOne, TargetAcknowledgement
from tracker.rules import month_start
from tracker.services import targets_communicate

from .factories import put

pytestmark = pytest.mark.django_db


def test_dashboard_lists_the_leaders_open_commitments_across_members(team, members, leader_client, intruder):
    today = timezone.localdate()
    month = month_start(today)
    one = OneOnOne.objects.create(team=team, member=members[0], month=month)
    item = dict(team=team, owner=ActionItem.Owner.LEADER, due_on=today + datetime.timedelta(days=3))
    ActionItem.objects.create(member=members[0], one_on_one=one, text="Ride along on two showings", **item)
    ActionItem.objects.create(member=members[1], text="Find Ben a mentor", **item)
    ActionItem.objects.create(member=members[1], text="Already done", done_at=timezone.now(), **item)
    ActionItem.objects.create(member=members[1], text="Ben will call ten leads", **{**item, "owner": "member"})
    page = leader_client.get(reverse("tracker:team", args=[team.pk])).content.decode()
    assert "My commitments" in page
    assert "Ride along on two showings" in page and "Find Ben a mentor" in page
    assert "Already done" not in page and "Ben will call ten leads" not in page
    assert reverse("tracker:one_on_one", args=[team.pk, month, members[0].pk]) in page
    assert reverse("tracker:one_on_one", args=[team.pk, month, members[1].pk]) in page
    other = Client()
    other.login(email=intruder.email, password=PASSWORD)
    assert other.get(reverse("tracker:team", args=[team.pk])).status_code in (403, 404)


def test_communicate_links_remind_only_those_while_someone_waits(
    team, members, metrics, leader, leader_client, django_capture_on_commit_callbacks
):
    month = month_start(timezone.localdate())
    for member in members:
        put(member, metrics[0], month, 100)
    with django_capture_on_commit_callbacks(execute=True):
        targets_communicate(team=team, month=month, sent_by=leader)
    url = reverse("tracker:communicate", args=[team.pk, month])
    waiting_url = reverse("tracker:rhythm_waiting", args=[team.pk, month])
    assert waiting_url in leader_client.get(url).content.decode()
    TargetAcknowledgement.objects.update(acknowledged_at=timezone.now())
    assert waiting_url not in leader_client.get(url).content.decode()

"""Mark as presented: only a finished month that has results, and it can be undone (recorded)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import services
from tracker.models import MeetingPresentation, PresentationEvent

MARCH = datetime.date(2024, 3, 1)
APRIL_5 = datetime.date(2024, 4, 5)


def _results(team, members, metrics):
    services.month_values_save(
        team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("100")}
    )


def test_a_month_without_results_cannot_be_presented(team, members, metrics, leader):
    with pytest.raises(ValidationError, match="has no results yet"):
        services.meeting_mark_presented(team=team, month=MARCH, user=leader, today=APRIL_5)
    assert not MeetingPresentation.all_objects.exists()


def test_a_month_not_over_cannot_be_presented(team, members, metrics, leader):
    _results(team, members, metrics)
    with pytest.raises(ValidationError, match="not over yet"):
        services.meeting_mark_presented(team=team, month=MARCH, user=leader, today=datetime.date(2024, 3, 31))
    services.meeting_mark_presented(team=team, month=MARCH, user=leader, today=APRIL_5)
    assert MeetingPresentation.objects.filter(team=team, month=MARCH).exists()


def test_undo_is_recorded_and_the_month_can_be_presented_again(team, members, metrics, leader, leader_client):
    _results(team, members, metrics)
    url = reverse("tracker:meeting_presented", args=[team.pk, MARCH])
    leader_client.post(url)
    response = leader_client.post(url, {"undo": "1"}, follow=True)
    assert "no longer marked as presented" in response.content.decode()
    assert not MeetingPresentation.objects.filter(team=team, month=MARCH).exists()  # not counted
    undone = MeetingPresentation.all_objects.get(team=team, month=MARCH)
    assert undone.undone_by == leader and undone.undone_at is not None  # but recorded
    assert "Mark as presented" in response.content.decode()
    leader_client.post(url)
    again = MeetingPresentation.objects.get(team=team, month=MARCH)
    assert again.pk == undone.pk and again.undone_at is None and again.presented_at > undone.undone_at


def test_the_meeting_page_says_why_a_month_cannot_be_presented(team, members, metrics, leader_client):
    page = leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).content.decode()
    assert "has no results yet" in page and "Mark as presented" not in page
    response = leader_client.post(reverse("tracker:meeting_presented", args=[team.pk, MARCH]), follow=True)
    assert "has no results yet" in response.content.decode()
    assert not MeetingPresentation.all_objects.exists()


def test_another_leader_cannot_undo(team, members, metrics, leader, intruder_client):
    _results(team, members, metrics)
    services.meeting_mark_presented(team=team, month=MARCH, user=leader)
    response = intruder_client.post(reverse("tracker:meeting_presented", args=[team.pk, MARCH]), {"undo": "1"})
    assert response.status_code in (403, 404)
    assert MeetingPresentation.objects.filter(team=team, month=MARCH).exists()


def test_every_mark_and_undo_is_kept_in_order_and_shown_on_the_meeting_page(
    team, members, metrics, leader, leader_client, client
):
    _results(team, members, metrics)
    url = reverse("tracker:meeting_presented", args=[team.pk, MARCH])
    for data in ({}, {"undo": "1"}, {}, {"undo": "1"}, {}):
        leader_client.post(url, data)
    leader_client.post(url)  # already presented: marking again changes nothing and records nothing
    events = PresentationEvent.objects.filter(team=team, month=MARCH)
    assert [e.action for e in events] == ["presented", "undone", "presented", "undone", "presented"]
    assert all(e.by == leader for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)
    # the state in force agrees with the last event
    current = MeetingPresentation.objects.get(team=team, month=MARCH)
    assert current.presented_at == events.last().at
    page = leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).content.decode()
    assert '"Presented" history' in page
    assert page.count("Marked as presented ") == 3 and page.count("Undone ") == 2
    assert page.count(f"by {leader.get_full_name() or leader.email}") >= 5
    # another month has its own (empty) story
    other = leader_client.get(reverse("tracker:meeting", args=[team.pk, datetime.date(2024, 2, 1)])).content.decode()
    assert '"Presented" history' not in other


def test_undo_of_a_month_never_marked_records_nothing(team, members, metrics, leader):
    assert services.meeting_unmark_presented(team=team, month=MARCH, user=leader) is None
    assert not PresentationEvent.objects.exists()


def test_another_leaders_history_is_not_shown(team, members, metrics, leader, intruder_client):
    _results(team, members, metrics)
    services.meeting_mark_presented(team=team, month=MARCH, user=leader)
    response = intruder_client.get(reverse("tracker:meeting", args=[team.pk, MARCH]))
    assert response.status_code in (403, 404)


def test_the_migration_keeps_each_existing_mark_and_undo_as_events(team, members, metrics, leader):
    """Presentations marked (and undone) before the events existed become their month's first events."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tracker.migrations.0009_presentation_events")
    _results(team, members, metrics)
    services.meeting_mark_presented(team=team, month=MARCH, user=leader)
    services.meeting_unmark_presented(team=team, month=MARCH, user=leader)
    PresentationEvent.objects.all().delete()  # as before this change: only the row
    migration.events_from_presentations(apps, None)
    row = MeetingPresentation.all_objects.get()
    events = list(PresentationEvent.objects.filter(team=team, month=MARCH))
    assert [(e.action, e.at, e.by) for e in events] == [
        ("presented", row.presented_at, leader),
        ("undone", row.undone_at, leader),
    ]


def test_the_team_page_links_last_months_presented_state_to_its_history(team, members, metrics, leader_client):
    from django.utils import timezone

    from tracker.rules import add_months, month_start

    last = add_months(month_start(timezone.localdate()), -1)
    page = leader_client.get(reverse("tracker:team", args=[team.pk])).content.decode()
    assert f'href="{reverse("tracker:meeting", args=[team.pk, last])}#presented-history-heading"' in page

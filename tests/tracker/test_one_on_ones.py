import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import LEADER_ZONE_NAME
from tracker import services
from tracker.models import ActionItem, OneOnOne
from tracker.rules import add_months, month_start

from .factories import MemberFactory, TeamFactory, fill

LEADER_ZONE = ZoneInfo(LEADER_ZONE_NAME)

TODAY = timezone.localdate(timezone=LEADER_ZONE)
LAST = add_months(month_start(TODAY), -1)  # the month the 1:1s review
SOON = TODAY + datetime.timedelta(days=10)


def _now():
    return timezone.now().replace(microsecond=0)


def hold_url(team, member, month=LAST):
    return reverse("tracker:one_on_one", args=[team.pk, month, member.pk])


def hold_post(**extra):
    data = {
        "action": "hold",
        "hold-held_at": timezone.localtime(_now(), LEADER_ZONE).strftime("%Y-%m-%dT%H:%M"),
        "hold-notes": "Talked through the two stalled contracts.",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "10",
    }
    for i in range(3):
        data.setdefault(f"items-{i}-owner", "member")
    data.update(extra)
    return data


def test_agenda_is_prefilled_and_holding_saves_notes_items_and_closes_earlier_items(
    team, members, metrics, leader_client
):
    ana = members[0]
    fill(team, LAST, {ana: 90}, months_back=2)
    earlier = services.one_on_one_hold(
        team=team,
        member=ana,
        month=add_months(LAST, -1),
        held_at=_now(),
        notes="",
        discussed_gap=False,
        agenda={},
        new_items=[{"owner": "member", "text": "Call back the Parkers", "due_on": SOON}],
    )
    item = earlier.action_items.get()

    page = leader_client.get(hold_url(team, ana))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Call back the Parkers" in html  # open item from the earlier 1:1
    assert "90%" in html  # the month's numbers
    assert html.count("Sales") >= 1

    response = leader_client.post(
        hold_url(team, ana),
        hold_post(
            done=[str(item.pk)],
            **{
                "items-0-text": "Shadow a walkthrough with Ben",
                "items-0-due_on": SOON.isoformat(),
                "items-1-owner": "leader",
                "items-1-text": "Join her Thursday follow-up calls",
                "items-1-due_on": SOON.isoformat(),
            },
        ),
    )
    assert response.status_code == 302
    one = OneOnOne.objects.get(member=ana, month=LAST)
    assert one.held_at is not None and "stalled contracts" in one.notes
    assert one.agenda["overall_percent"] == 90
    assert [i["text"] for i in one.agenda["open_items"]] == ["Call back the Parkers"]
    assert set(one.action_items.values_list("owner", "text")) == {
        ("member", "Shadow a walkthrough with Ben"),
        ("leader", "Join her Thursday follow-up calls"),
    }
    item.refresh_from_db()
    assert item.done_at is not None
    # one row, so it is closed everywhere: the next month's agenda no longer lists it
    next_page = leader_client.get(hold_url(team, ana, month=month_start(TODAY))).content.decode()
    assert "Call back the Parkers" not in next_page
    assert "Join her Thursday follow-up calls" in next_page


def test_closing_an_item_from_one_page_closes_it_in_every_agenda(team, members, metrics, leader_client):
    ana = members[0]
    item = services.action_item_create(
        team=team, member=ana, owner="leader", text="Book the product training", due_on=SOON
    )
    assert "Book the product training" in leader_client.get(hold_url(team, ana)).content.decode()
    leader_client.post(
        reverse("tracker:action_item_done", args=[team.pk, item.pk]),
        {"done": "1", "next": hold_url(team, ana)},
        follow=True,  # shows (and so uses up) the "closed" message
    )
    item.refresh_from_db()
    assert item.done_at is not None
    for month in (LAST, month_start(TODAY)):
        assert "Book the product training" not in leader_client.get(hold_url(team, ana, month)).content.decode()


def test_action_item_for_another_teams_member_is_refused(team, members):
    stranger = MemberFactory(team=TeamFactory())
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(team=team, member=stranger, owner="member", text="x", due_on=SOON)
    assert "not on your team" in str(exc.value)
    with pytest.raises(ValidationError):
        services.one_on_one_hold(
            team=team, member=stranger, month=LAST, held_at=_now(), notes="", discussed_gap=False, agenda={}
        )
    assert ActionItem.objects.count() == 0 and OneOnOne.objects.count() == 0


def test_bad_dates_give_a_clear_error_and_save_nothing(team, members, metrics, leader_client):
    ana = members[0]
    far = timezone.localtime(_now(), LEADER_ZONE) - datetime.timedelta(days=400)
    response = leader_client.post(hold_url(team, ana), hold_post(**{"hold-held_at": far.strftime("%Y-%m-%dT%H:%M")}))
    assert response.status_code == 400
    assert "takes place between" in response.content.decode()
    # a new item due years away, in an otherwise valid 1:1: nothing at all is saved
    response = leader_client.post(
        hold_url(team, ana), hold_post(**{"items-0-text": "Someday", "items-0-due_on": "2099-01-01"})
    )
    assert response.status_code == 400
    assert "within the coming year" in response.content.decode()
    response = leader_client.post(
        hold_url(team, ana), {"action": "schedule", "schedule-scheduled_at": "1999-02-03T10:00"}
    )
    assert response.status_code == 400
    assert OneOnOne.objects.count() == 0 and ActionItem.objects.count() == 0
    with pytest.raises(ValidationError):
        services.one_on_one_schedule(
            team=team, member=ana, month=add_months(month_start(TODAY), 6), scheduled_at=_now()
        )


def test_closing_an_item_that_is_not_open_for_this_member_saves_nothing(team, members, metrics, leader_client):
    other = services.action_item_create(team=team, member=members[1], owner="member", text="Ben's item", due_on=SOON)
    response = leader_client.post(hold_url(team, members[0]), hold_post(done=[str(other.pk)]))
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.done_at is None and OneOnOne.objects.count() == 0


def test_schedule_download_and_email_the_invitation(
    team, members, metrics, leader_client, django_capture_on_commit_callbacks
):
    ana = members[0]
    when = timezone.localtime(_now(), LEADER_ZONE).replace(hour=10, minute=30) + datetime.timedelta(days=1)
    if when.date() > add_months(LAST, 1) + datetime.timedelta(days=90):
        when = timezone.localtime(_now(), LEADER_ZONE)
    response = leader_client.post(
        hold_url(team, ana), {"action": "schedule", "schedule-scheduled_at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    one = OneOnOne.objects.get(member=ana, month=LAST)
    assert one.scheduled_at is not None and one.held_at is None
    ics = leader_client.get(reverse("tracker:one_on_one_ics", args=[team.pk, one.pk]))
    assert ics["Content-Type"] == "text/calendar"
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and f"tracker-1on1-{one.pk}@huddle" in body and "Ana Diaz" in body
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(reverse("tracker:one_on_one_invite", args=[team.pk, one.pk]))
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"ana@example.com", team.leader.email}
    assert mail.outbox[0].attachments[0][0] == "one-on-one.ics"


def test_month_overview_shows_done_scheduled_missing_and_overdue(team, members, metrics, leader_client):
    ana, ben, cy = members
    old = add_months(LAST, -2)  # its review deadline has passed
    services.one_on_one_hold(
        team=team,
        member=ana,
        month=old,
        held_at=timezone.make_aware(datetime.datetime.combine(old, datetime.time(10))),
        notes="",
        discussed_gap=False,
        agenda={},
    )
    services.one_on_one_schedule(
        team=team,
        member=ben,
        month=old,
        scheduled_at=timezone.make_aware(datetime.datetime.combine(old, datetime.time(9))),
    )
    html = leader_client.get(reverse("tracker:reviews", args=[team.pk, old])).content.decode()
    assert "done " in html and "scheduled " in html and "missing" in html
    assert html.count(">overdue<") == 2  # Ben's scheduled time passed, Cy's has none
    assert "Overdue: Ben Cole, Cy Lane." in html
    assert leader_client.get(reverse("tracker:reviews_current", args=[team.pk])).status_code == 302


def test_discussed_gap_box_is_never_pre_ticked(team, members, metrics, leader_client):
    ana = members[0]
    fill(team, LAST, {ana: 50}, months_back=2)  # well below standard: the 1:1 is flagged
    html = leader_client.get(hold_url(team, ana)).content.decode()
    box = html[html.index('name="hold-discussed_gap"') - 200 : html.index('name="hold-discussed_gap"') + 200]
    assert "checked" not in box

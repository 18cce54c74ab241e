"""Every 1:1, plan, celebration and consistency view is 404 for another user; key pages run a fixed, small number of queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import LEADER_ZONE_NAME, PASSWORD, StaffFactory, UserFactory
from tracker import services
from tracker.models import ActionItem, Celebration, ImprovementPlan, OneOnOne
from tracker.rules import add_months, month_start

from .factories import TrackerUserFactory, big_team, fill

LEADER_ZONE = ZoneInfo(LEADER_ZONE_NAME)

TODAY = timezone.localdate(timezone=LEADER_ZONE)
THIS = month_start(TODAY)
LAST = add_months(THIS, -1)


@pytest.fixture
def coaching_objects(team, members, metrics):
    ana = members[0]
    fill(team, LAST, {ana: 60, members[1]: 100, members[2]: 100})
    one = services.one_on_one_hold(
        team=team, member=ana, month=LAST, held_at=timezone.now(), notes="private", discussed_gap=True, agenda={}
    )
    services.one_on_one_schedule(team=team, member=ana, month=THIS, scheduled_at=timezone.now())
    item = services.action_item_create(team=team, member=ana, owner="member", text="Follow up", due_on=TODAY)
    plan = services.plan_open(
        team=team, member=ana, month=LAST, expectations="e", support="s", deadline=TODAY + datetime.timedelta(days=20)
    )
    celebration = services.celebration_record(
        team=team, member=members[1], month=LAST, kind="custom", title="t", note="n"
    )
    return {"one": one, "item": item, "plan": plan, "celebration": celebration, "member": ana}


def coaching_urls(team, o):
    t, m = team.pk, o["member"].pk
    return [
        ("get", reverse("tracker:reviews_current", args=[t])),
        ("get", reverse("tracker:reviews", args=[t, LAST])),
        ("get", reverse("tracker:one_on_one", args=[t, LAST, m])),
        ("post", reverse("tracker:one_on_one", args=[t, LAST, m])),
        ("get", reverse("tracker:one_on_one_ics", args=[t, OneOnOne.objects.get(month=THIS).pk])),
        ("post", reverse("tracker:one_on_one_invite", args=[t, OneOnOne.objects.get(month=THIS).pk])),
        ("get", reverse("tracker:one_on_one_cancel", args=[t, OneOnOne.objects.get(month=THIS).pk])),
        ("post", reverse("tracker:one_on_one_cancel", args=[t, OneOnOne.objects.get(month=THIS).pk])),
        ("post", reverse("tracker:action_item_done", args=[t, o["item"].pk])),
        ("get", reverse("tracker:plan_new", args=[t, LAST, m])),
        ("post", reverse("tracker:plan_new", args=[t, LAST, m])),
        ("get", reverse("tracker:plan", args=[t, o["plan"].pk])),
        ("post", reverse("tracker:plan", args=[t, o["plan"].pk])),
        ("get", reverse("tracker:plan_pdf", args=[t, o["plan"].pk])),
        ("get", reverse("tracker:celebrations_current", args=[t])),
        ("get", reverse("tracker:celebrations", args=[t, LAST])),
        ("post", reverse("tracker:celebrations", args=[t, LAST])),
        ("post", reverse("tracker:celebration_note", args=[t, o["celebration"].pk])),
        ("get", reverse("tracker:consistency", args=[t])),
        ("post", reverse("tracker:consistency", args=[t])),
    ]


def test_every_coaching_view_is_404_for_another_user(team, coaching_objects, intruder_client):
    for method, url in coaching_urls(team, coaching_objects):
        data = {"done": "1", "action": "outcome", "note": "hijack", "send": "1"} if method == "post" else None
        response = getattr(intruder_client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    item = ActionItem.objects.get(pk=coaching_objects["item"].pk)
    assert item.done_at is None
    assert OneOnOne.objects.get(month=THIS).cancelled_at is None
    assert Celebration.objects.get(pk=coaching_objects["celebration"].pk).note == "n"
    assert ImprovementPlan.objects.get().outcome == ""


def test_objects_of_another_team_are_404_even_through_ones_own_team(team, coaching_objects, intruder, client):
    client.login(email=intruder.email, password=PASSWORD)
    own = intruder.tracker_teams.get()
    for name, args in [
        ("tracker:plan", [own.pk, coaching_objects["plan"].pk]),
        ("tracker:one_on_one_ics", [own.pk, coaching_objects["one"].pk]),
        ("tracker:one_on_one", [own.pk, LAST, coaching_objects["member"].pk]),
        ("tracker:plan_new", [own.pk, LAST, coaching_objects["member"].pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.post(
            reverse("tracker:action_item_done", args=[own.pk, coaching_objects["item"].pk]), {"done": "1"}
        ).status_code
        == 404
    )


def test_every_coaching_view_works_for_the_leader(team, coaching_objects, leader_client):
    for method, url in coaching_urls(team, coaching_objects):
        if method == "get":
            assert leader_client.get(url).status_code in (200, 302), url


def test_coach_sees_only_consenting_enrolled_leaders(db, client, home_page):
    from tests.lessons.factories import enrol, make_program

    from .factories import TeamFactory

    program = make_program(home_page)
    sharing, private, not_enrolled = (UserFactory(share_consistency_with_coach=s) for s in (True, False, True))
    enrol(sharing, program)
    enrol(private, program)
    TeamFactory(leader=sharing, name="Sharing Team")
    TeamFactory(leader=private, name="Private Team")
    TeamFactory(leader=not_enrolled, name="Lapsed Team")
    url = reverse("tracker:coach_consistency")
    client.login(email=sharing.email, password=PASSWORD)
    assert client.get(url).status_code == 404  # the coach role only (accounts.roles.is_coach)
    coach = StaffFactory()
    client.login(email=coach.email, password=PASSWORD)
    client.get(url)  # warm per-site caches (site settings, wagtail profile)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert "Sharing Team" in html and "Private Team" not in html and "Lapsed Team" not in html
    assert len(ctx.captured_queries) <= 12


@pytest.mark.slow
def test_coaching_pages_run_the_same_few_queries_for_200_members_and_36_months(db, client):
    leader = TrackerUserFactory()
    small = big_team(leader=leader, members=3, months=2, end=THIS)
    big = big_team(leader=leader, members=200, months=36, end=THIS)
    for team in (small, big):
        member = team.members.first()
        services.one_on_one_hold(
            team=team, member=member, month=LAST, held_at=timezone.now(), notes="", discussed_gap=True, agenda={}
        )
        services.action_item_create(team=team, member=member, owner="leader", text="Help", due_on=TODAY)
        services.celebration_record(team=team, member=member, month=LAST, kind="custom", title="Bravo")
    client.login(email=leader.email, password=PASSWORD)

    def pages(team):
        member = team.members.order_by("pk").first()
        return {
            "1:1 overview": reverse("tracker:reviews", args=[team.pk, LAST]),
            "1:1 agenda": reverse("tracker:one_on_one", args=[team.pk, LAST, member.pk]),
            "celebrations": reverse("tracker:celebrations", args=[team.pk, LAST]),
            "consistency": reverse("tracker:consistency", args=[team.pk]),
            "meeting": reverse("tracker:meeting", args=[team.pk, LAST]),
        }

    def count(url):
        client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    for name, small_url in pages(small).items():
        small_count, big_count = count(small_url), count(pages(big)[name])
        assert big_count == small_count, (name, small_count, big_count)
        assert big_count <= 12, (name, big_count)

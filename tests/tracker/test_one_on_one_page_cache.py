"""The 1:1 page is rendered once per version of the team's data (views/cached.py) with two slots
filled per request: each response carries its own session's working CSRF token, and "held at" of a
1:1 not held yet is the time of this request, not of the first render. Every write (holding the
1:1, closing an item, a co-leader's schedule) shows on the next view; a refused post is never
cached; another team's member is a 404."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from home.core.caching import memo
from tests.factories import LEADER_ZONE_NAME, PASSWORD
from tracker import services
from tracker.models import TeamCoLeader
from tracker.rules import add_months, month_start

from .factories import MemberFactory, TeamFactory, TrackerUserFactory, fill

LEADER_ZONE = ZoneInfo(LEADER_ZONE_NAME)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate(timezone=LEADER_ZONE)
LAST = add_months(month_start(TODAY), -1)
SOON = TODAY + datetime.timedelta(days=10)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
HELD_AT = re.compile(r'name="hold-held_at" value="([^"]*)"')


def _url(team, member):
    return reverse("tracker:one_on_one", args=[team.pk, LAST, member.pk])


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_is_built_once_and_each_view_gets_its_own_token_and_time(
    team, members, metrics, leader_client, monkeypatch, django_assert_num_queries
):
    import tracker.views.one_on_ones as views

    ana = members[0]
    fill(team, LAST, {ana: 90}, months_back=2)
    built = []
    real = views._page_context
    monkeypatch.setattr(views, "_page_context", lambda *a, **k: built.append(1) or real(*a, **k))
    first = _html(leader_client, _url(team, ana))
    later = timezone.now() + datetime.timedelta(minutes=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_assert_num_queries(2):  # the session, the team with the access checks (the user: from the cache)
        second = _html(leader_client, _url(team, ana))
    memo.clear()  # another process: its own memo, the same shared cache
    third = _html(leader_client, _url(team, ana))
    assert built == [1]
    assert "90%" in second and "Ana Diaz" in second and "\x00" not in second
    assert HELD_AT.search(second).group(1) == f"{timezone.localtime(later, LEADER_ZONE):%Y-%m-%dT%H:%M}"
    assert HELD_AT.search(first).group(1) != HELD_AT.search(second).group(1)
    assert "<title>1:1 with Ana Diaz" in third
    strip = lambda html: HELD_AT.sub("", TOKEN.sub("", html))  # noqa: E731
    assert strip(first) == strip(second) == strip(third)
    tokens = TOKEN.findall(second)
    assert len(tokens) == len(TOKEN.findall(first)) >= 2 and all(len(t) == 64 for t in tokens)


def test_the_cached_page_s_token_works(team, members, metrics, leader_client):
    ana = members[0]
    _html(leader_client, _url(team, ana))
    token = TOKEN.search(_html(leader_client, _url(team, ana))).group(1)
    client = Client(enforce_csrf_checks=True)
    client.cookies = leader_client.cookies
    when = timezone.localtime(timezone.now(), LEADER_ZONE) + datetime.timedelta(days=2)
    response = client.post(
        _url(team, ana),
        {"csrfmiddlewaretoken": token, "action": "schedule", "schedule-scheduled_at": f"{when:%Y-%m-%dT%H:%M}"},
    )
    assert response.status_code == 302
    assert "Scheduled for" in _html(leader_client, _url(team, ana))


def test_every_write_shows_on_the_next_view(leader, team, members, metrics, leader_client):
    ana = members[0]
    url = _url(team, ana)
    assert "Not scheduled yet" in _html(leader_client, url)
    item = services.action_item_create(team=team, member=ana, owner="leader", text="Book the training", due_on=SOON)
    assert "Book the training" in _html(leader_client, url)
    services.action_item_set_done(item=item, done=True)
    assert "Book the training" not in _html(leader_client, url)

    co_leader = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=co_leader)
    other = Client()
    other.login(email=co_leader.email, password=PASSWORD)
    when = timezone.localtime(timezone.now(), LEADER_ZONE) + datetime.timedelta(days=2)
    data = {"action": "schedule", "schedule-scheduled_at": f"{when:%Y-%m-%dT%H:%M}"}
    assert other.post(url, data).status_code == 302
    assert "Scheduled for" in _html(leader_client, url)

    services.one_on_one_hold(
        team=team,
        member=ana,
        month=LAST,
        held_at=timezone.now(),
        notes="Walked the pipeline",
        discussed_gap=False,
        agenda={},
    )
    page = _html(leader_client, url)
    assert "Held " in page and "Walked the pipeline" in page
    assert _html(other, url).count("Walked the pipeline") == page.count("Walked the pipeline")


def test_a_refused_post_is_never_cached(team, members, metrics, leader_client):
    ana = members[0]
    url = _url(team, ana)
    _html(leader_client, url)
    refused = leader_client.post(url, {"action": "schedule", "schedule-scheduled_at": "not a date"})
    assert refused.status_code == 400 and "field__error" in refused.content.decode()
    assert "field__error" not in _html(leader_client, url)


def test_another_team_s_member_is_a_404_before_and_after_caching(leader, team, members, metrics, leader_client):
    other = TeamFactory(leader=leader, name="East Sales")
    zed = MemberFactory(team=other, name="Zed Quinn", start_date=datetime.date(2024, 1, 1))
    assert leader_client.get(reverse("tracker:one_on_one", args=[team.pk, LAST, zed.pk])).status_code == 404
    assert "Zed Quinn" in _html(leader_client, _url(other, zed))
    assert leader_client.get(reverse("tracker:one_on_one", args=[team.pk, LAST, zed.pk])).status_code == 404
    stranger = Client()
    stranger.login(email=TrackerUserFactory().email, password=PASSWORD)
    assert stranger.get(_url(team, members[0])).status_code == 404


def test_text_that_spells_a_slot_is_shown_as_typed_never_filled(team, members, metrics, leader_client):
    """The 1:1 page fills its slots as every team body does (views/team_body.py): only an attribute
    value our template wrote is a slot; a note or item that spells one stays the leader's text."""
    from home.core.caching.csrf_slot import CSRF_SLOT, slot

    ana = members[0]
    trick = f'x" value="{CSRF_SLOT}" "{slot("now")}'
    services.action_item_create(team=team, member=ana, owner="leader", text=trick, due_on=SOON)
    html = _html(leader_client, _url(team, ana))
    html = _html(leader_client, _url(team, ana))  # from the cache
    assert f"x&quot; value=&quot;{CSRF_SLOT}&quot; &quot;{slot('now')}" in html
    assert f'value="{CSRF_SLOT}"' not in html and f'value="{slot("now")}"' not in html
    assert all(len(token) == 64 for token in TOKEN.findall(html))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", HELD_AT.search(html).group(1))

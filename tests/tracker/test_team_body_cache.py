"""The team pages whose body is rendered once per version of the team's data (tracker/views/team_body.py):
annual targets, value history, remind only those, rankings by period and the month's 1:1s. Each write
is seen on the next view (through the cache, never around it); every response carries a CSRF token
of its own user that the CSRF check accepts, never another user's nor the slot; one team's body never
reaches another team or a user without access."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tracker import services
from tracker.models import TargetAcknowledgement, TeamBoardLink, TeamCoLeader, ValueChange
from tracker.rules import add_months, month_start
from tracker.services.sharing import board_link_create, board_link_revoke
from tracker.views.team_body import CSRF_SLOT

from .factories import MemberFactory, TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _this_month():
    return month_start(timezone.localdate())


def _client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.login(email=user.email, password=PASSWORD)
    return client


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _warm(client, url, django_assert_max_num_queries) -> str:
    """The page twice: the second from the cache (the session, its user, the access check, the team)."""
    _get(client, url)
    with django_assert_max_num_queries(4):
        return _get(client, url)


def _urls(team, month) -> dict[str, str]:
    return {
        "annual": reverse("tracker:annual_targets", args=[team.pk]),
        "history": reverse("tracker:history", args=[team.pk, month]),
        "waiting": reverse("tracker:rhythm_waiting", args=[team.pk, month]),
        "ytd": reverse("tracker:rankings", args=[team.pk, month]) + "?period=ytd",
        "reviews": reverse("tracker:reviews", args=[team.pk, month]),
    }


def test_each_users_own_token_from_the_same_cached_body(leader, team, members, metrics):
    """A co-leader reads the body the leader's view cached: the form carries the co-leader's token,
    which their CSRF check accepts, and the leader's own token is refused for them."""
    month = _this_month()
    services.month_values_save(
        team=team, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal("100")}
    )
    services.month_values_save(
        team=team, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal("120")}
    )
    co_leader = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=co_leader)
    leader_client = _client(leader, enforce_csrf_checks=True)
    co_client = _client(co_leader, enforce_csrf_checks=True)
    url = reverse("tracker:history", args=[team.pk, month])
    leader_page, co_page = _get(leader_client, url), _get(co_client, url)
    assert CSRF_SLOT not in leader_page + co_page
    leader_token, co_token = TOKEN.search(leader_page)[1], TOKEN.search(co_page)[1]
    first = ValueChange.objects.filter(team=team).order_by("pk").first()
    restore = reverse("tracker:history_restore", args=[team.pk, first.pk])
    assert co_client.post(restore, {"csrfmiddlewaretoken": leader_token}).status_code == 403
    assert co_client.post(restore, {"csrfmiddlewaretoken": co_token}).status_code == 302
    assert ValueChange.objects.filter(team=team, how=ValueChange.How.RESTORE).count() == 1
    for page in ("annual", "waiting", "reviews"):
        page_url = _urls(team, month)[page]
        _get(leader_client, page_url)
        html = _get(co_client, page_url)
        assert CSRF_SLOT not in html
        secrets = {_unmask_cipher_token(token) for token in TOKEN.findall(html)}
        assert secrets == {_unmask_cipher_token(co_token)} != {_unmask_cipher_token(leader_token)}


def test_annual_targets_show_each_member_metric_and_profile_as_they_are_now(
    leader_client, team, members, metrics, django_assert_max_num_queries
):
    url = _urls(team, _this_month())["annual"]
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "Ana Diaz" in page and "Spring peak" not in page
    services.member_create(team=team, name="Dee Park", start_date=datetime.date(2024, 1, 1))
    services.member_set_active(member=members[1], active=False)
    services.metric_create(team=team, name="Calls")
    services.seasonality_profile_save(
        team=team, name="Spring peak", percents=[Decimal("8.25")] * 8 + [Decimal("8.5")] * 4
    )
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "Dee Park" in page and "Ben Cole" not in page and ">Calls</option>" in page and "Spring peak" in page


def test_annual_targets_post_keeps_its_errors_and_preview(leader_client, team, members, metrics):
    url = _urls(team, _this_month())["annual"]
    _get(leader_client, url)  # the empty form cached first
    year = timezone.localdate().strftime("%Y-01")
    base = {"year": year, "metric": metrics[0].pk, "split": "even", "action": "preview"}
    refused = leader_client.post(url, base | {f"a_{members[0].pk}": "lots"}).content.decode()
    assert 'aria-invalid="true"' in refused and "field__error" in refused and "Preview:" not in refused
    shown = leader_client.post(url, base | {f"a_{members[0].pk}": "1200"}).content.decode()
    assert "Preview:" in shown and 'name="previewed"' in shown and 'value="1200"' in shown
    assert CSRF_SLOT not in refused + shown and "lots" not in _get(leader_client, url)


def test_history_shows_every_change_and_restore(
    leader, leader_client, team, members, metrics, django_assert_max_num_queries
):
    month = _this_month()
    url = _urls(team, month)["history"]
    assert "No change recorded" in _warm(leader_client, url, django_assert_max_num_queries)
    cell = (members[0].pk, metrics[0].pk)
    services.month_values_save(
        team=team, month=month, kind="results", values={cell: Decimal("1234")}, changed_by=leader
    )
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "1,234" in page and leader.email in page
    services.month_values_save(team=team, month=month, kind="results", values={cell: Decimal("777")}, changed_by=leader)
    change = ValueChange.objects.filter(team=team).order_by("pk").first()
    services.value_restore(team=team, change=change, restored_by=leader)
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "777" in page and page.count("Restore this value") == 3
    other = add_months(month, -1)
    assert "No change recorded" in _get(leader_client, _urls(team, other)["history"])  # the month is in the key


def test_remind_only_those_follows_sending_acknowledging_and_reminding(
    leader, leader_client, team, members, metrics, django_assert_max_num_queries
):
    month = _this_month()
    url = _urls(team, month)["waiting"]
    assert "have not been sent yet" in _warm(leader_client, url, django_assert_max_num_queries)
    targets = {(m.pk, metrics[0].pk): Decimal("100") for m in members[:2]}
    services.month_values_save(team=team, month=month, kind="targets", values=targets)
    services.targets_communicate(team=team, month=month, sent_by=leader)
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "2 of 2 haven" in page and "Remind only those 2" in page
    services.target_acknowledge(ack=TargetAcknowledgement.objects.get(member=members[0]))
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "1 of 2 haven" in page and "Ana Diaz" not in page
    assert leader_client.post(url).status_code == 302
    assert "reminded" in _warm(leader_client, url, django_assert_max_num_queries)


def test_year_to_date_follows_results(leader_client, team, members, metrics, django_assert_max_num_queries):
    month = _this_month()
    url = _urls(team, month)["ytd"]
    cell = (members[0].pk, metrics[0].pk)
    services.month_values_save(team=team, month=month, kind="targets", values={cell: Decimal("100")})
    services.month_values_save(team=team, month=month, kind="results", values={cell: Decimal("91")})
    assert "91%" in _warm(leader_client, url, django_assert_max_num_queries)
    services.month_values_save(team=team, month=month, kind="results", values={cell: Decimal("64")})
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "64%" in page and "91%" not in page
    quarter = _get(leader_client, url.replace("period=ytd", "period=quarter"))  # the period is in the key
    assert 'aria-current="page">Quarter' in quarter or "Q" in quarter.split("<title>")[1].split("</title>")[0]


def test_the_months_one_on_ones_follow_scheduling_and_members(
    leader_client, team, members, metrics, django_assert_max_num_queries
):
    month = _this_month()
    url = _urls(team, month)["reviews"]
    assert "scheduled" not in _warm(leader_client, url, django_assert_max_num_queries).split("<tbody>")[1]
    when = timezone.make_aware(datetime.datetime.combine(month + datetime.timedelta(days=27), datetime.time(10)))
    services.one_on_one_schedule(team=team, member=members[0], month=month, scheduled_at=when)
    services.member_create(team=team, name="Dee Park", start_date=datetime.date(2024, 1, 1))
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "scheduled" in page.split("<tbody>")[1] and "Dee Park" in page


def test_a_cached_body_never_reaches_another_team_or_a_user_without_access(leader, leader_client, team, members):
    month = _this_month()
    other = TeamFactory(leader=leader, name="East Sales")
    MemberFactory(team=other, name="Zed Quinn")
    stranger = _client(TrackerUserFactory())
    for page, url in _urls(team, month).items():
        assert "North Sales" in _get(leader_client, url), page
        html = _get(leader_client, _urls(other, month)[page])
        assert "East Sales" in html and "North Sales" not in html, page
        assert stranger.get(url).status_code in (403, 404), page


def test_the_targets_grid_shows_each_write_and_its_originals_still_catch_a_conflict(
    leader, leader_client, team, members, metrics, django_assert_max_num_queries
):
    """The grid's hidden originals are cached with its cells: a write moves both, so a page opened
    before another's save still reports the conflict, and one opened after shows their value."""
    month = _this_month()
    url = reverse("tracker:targets", args=[team.pk, month])
    cell = (members[0].pk, metrics[0].pk)
    name = f"{members[0].pk}_{metrics[0].pk}"
    services.month_values_save(team=team, month=month, kind="targets", values={cell: Decimal("100")})
    opened = _warm(leader_client, url, django_assert_max_num_queries)
    assert f'name="o_{name}" value="100' in opened
    services.month_values_save(team=team, month=month, kind="targets", values={cell: Decimal("150")})
    fields = dict(re.findall(r'<input type="hidden" name="(o_\d+_\d+)" value="([^"]*)"', opened))
    posted = fields | {f"c_{name}": "120", "save": "1"}
    page = leader_client.post(url, posted).content.decode()
    assert "changed since you opened this page" in page and CSRF_SLOT not in page
    now = _warm(leader_client, url, django_assert_max_num_queries)
    assert f'name="c_{name}" value="150' in now and f'name="o_{name}" value="150' in now
    last = add_months(month, -1)
    services.month_values_save(
        team=team, month=last, kind="targets", values={(members[1].pk, metrics[0].pk): Decimal("90")}
    )
    copied = _get(leader_client, url + "?copy=1")  # never the cached body: the previous month's values typed in
    assert "Copied" in copied and f'name="c_{members[1].pk}_{metrics[0].pk}" value="90' in copied
    assert f'name="c_{members[1].pk}_{metrics[0].pk}" value="90' not in _get(leader_client, url)


def test_sharing_follows_links_members_and_the_moment_a_link_expires(
    leader, leader_client, team, members, django_assert_max_num_queries
):
    month = add_months(_this_month(), -1)
    url = reverse("tracker:share", args=[team.pk, month])
    assert "Email results to 2 members" in _warm(leader_client, url, django_assert_max_num_queries)
    services.member_update(
        member=members[2],
        name="Cy Lane",
        email="cy@example.com",
        role="",
        start_date=members[2].start_date,
        active=True,
    )
    soon = timezone.now() + datetime.timedelta(hours=1)
    link = TeamBoardLink.objects.create(team=team, expires_at=soon)
    page = _warm(leader_client, url, django_assert_max_num_queries)
    assert "Email results to 3 members" in page and str(link.key) in page and "Expired" not in page
    with mock.patch("django.utils.timezone.now", return_value=soon + datetime.timedelta(minutes=1)):
        page = _get(leader_client, url)  # no write since: the moment alone renders it again
    assert str(link.key) not in page and "Expired" in page
    board_link_revoke(link=board_link_create(team=team, created_by=leader))
    assert "Revoked" in _warm(leader_client, url, django_assert_max_num_queries)

"""The rankings page and the stored month's grid are rendered once per version of the team's data
(views/cached.py): a second view reads no board, grid or template work, only the access checks;
every write (a save, an import and its undo, a co-leader's grid) shows on the next view in any
process; a refused save and "copy last month" are never cached; one team's page never reaches
another team."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from home.core.caching import memo
from tests.factories import PASSWORD
from tracker import services
from tracker.models import TeamCoLeader
from tracker.rules import add_months
from tracker.selectors import current_month

from .factories import MemberFactory, TeamFactory, TrackerUserFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # masked anew on every response
WARM = 2  # the session (in the database here), the team with "may use the tracker" (one read, tracker/selectors/teams.py; the user: from the cache)


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _save(team, month, kind, key, value):
    services.month_values_save(team=team, month=month, kind=kind, values={key: Decimal(value)})


BUILDS = {"rankings": "tracker.views.meeting.rankings_context", "results": "tracker.views.grids._table_html"}


@pytest.mark.parametrize("page", ["rankings", "results", "targets"])
def test_the_second_view_is_the_same_page_from_the_cache(
    leader_client, team, members, metrics, page, monkeypatch, django_assert_num_queries
):
    month = add_months(current_month(), -1)
    _save(team, month, "targets", (members[0].pk, metrics[0].pk), "100")
    _save(team, month, "results", (members[0].pk, metrics[0].pk), "87")
    target = BUILDS.get(page, BUILDS["results"])
    built = []
    module, name = target.rsplit(".", 1)
    real = getattr(importlib.import_module(module), name)
    monkeypatch.setattr(target, lambda *args, **kwargs: built.append(1) or real(*args, **kwargs))
    url = reverse(f"tracker:{page}", args=[team.pk, month])
    first = _html(leader_client, url)
    assert built == [1]
    with django_assert_num_queries(WARM):
        second = _html(leader_client, url)
    memo.clear()  # another process: its own memo, the same shared cache
    third = _html(leader_client, url)
    assert built == [1]  # rendered once
    assert CSRF.sub("", first) == CSRF.sub("", second) == CSRF.sub("", third)
    shown = {"rankings": "87%", "results": 'value="87"', "targets": 'value="100"'}[page]
    assert "Ana Diaz" in second and shown in second


def test_the_cached_grid_carries_this_session_s_token_and_saves(leader_client, team, members, metrics):
    month = current_month()
    url = reverse("tracker:results", args=[team.pk, month])
    _html(leader_client, url)
    page = _html(leader_client, url)  # from the cache
    token = CSRF.search(page).group(0).split('value="')[1].rstrip('"')
    client = Client(enforce_csrf_checks=True)
    client.cookies = leader_client.cookies
    cell = f"{members[0].pk}_{metrics[0].pk}"
    response = client.post(url, {"csrfmiddlewaretoken": token, f"c_{cell}": "42", f"o_{cell}": "", "save": "1"})
    assert response.status_code == 302
    assert f'name="c_{cell}" value="42"' in _html(leader_client, url)


def test_every_write_shows_on_the_next_rankings_and_grid(leader, leader_client, team, members, metrics):
    month = add_months(current_month(), -1)
    rankings = reverse("tracker:rankings", args=[team.pk, month])
    results = reverse("tracker:results", args=[team.pk, month])
    key = (members[0].pk, metrics[0].pk)
    _save(team, month, "targets", key, "100")
    _save(team, month, "results", key, "87")
    assert "87%" in _html(leader_client, rankings) and 'value="87"' in _html(leader_client, results)

    _save(team, month, "results", key, "91")  # a save
    assert "91%" in _html(leader_client, rankings) and 'value="91"' in _html(leader_client, results)

    line = f"member,month,{metrics[0].name}\nAna Diaz,{month:%Y-%m},150\n".encode()
    preview = services.results_import_preview(team=team, uploaded_by=leader, filename="m.csv", data=line)
    services.results_import_apply(result_import=preview, applied_by=leader)  # an import
    assert "150%" in _html(leader_client, rankings) and 'value="150"' in _html(leader_client, results)
    services.results_import_undo(result_import=preview, undone_by=leader)  # and its undo
    page = _html(leader_client, rankings)
    assert "91%" in page and "150%" not in page
    assert 'value="91"' in _html(leader_client, results)

    co_leader = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=co_leader)
    other = Client()
    other.login(email=co_leader.email, password=PASSWORD)
    cell = f"{key[0]}_{key[1]}"
    assert other.post(results, {f"c_{cell}": "64", f"o_{cell}": "91", "save": "1"}).status_code == 302
    assert "64%" in _html(leader_client, rankings) and 'value="64"' in _html(leader_client, results)

    services.member_update(
        member=members[0],
        name="Ana Ortiz",
        email="ana@example.com",
        role="",
        start_date=members[0].start_date,
        active=True,
    )
    assert "Ana Ortiz" in _html(leader_client, rankings) and "Ana Ortiz" in _html(leader_client, results)
    services.team_update(team=team, name="South Sales", show_full_rankings=False)
    assert "South Sales" in _html(leader_client, rankings) and "South Sales" in _html(leader_client, results)


def test_a_refused_save_and_copying_last_month_are_never_cached(leader_client, team, members, metrics):
    month = current_month()
    key = (members[0].pk, metrics[0].pk)
    _save(team, add_months(month, -1), "targets", key, "120")
    url = reverse("tracker:targets", args=[team.pk, month])
    assert "Copy" in _html(leader_client, url)  # last month has targets: the copy button, also when cached
    assert "Copy" in _html(leader_client, url)
    assert f'name="c_{key[0]}_{key[1]}" value="120"' in _html(leader_client, url + "?copy=1")
    assert f'name="c_{key[0]}_{key[1]}" value="120"' not in _html(leader_client, url)  # not saved: still empty
    refused = leader_client.post(url, {f"c_{key[0]}_{key[1]}": "lots", f"o_{key[0]}_{key[1]}": "", "save": "1"})
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()
    page = _html(leader_client, url)
    assert 'aria-invalid="true"' not in page and "lots" not in page


def test_a_cached_page_never_reaches_another_team_or_a_stranger(leader, leader_client, team, members, metrics):
    month = add_months(current_month(), -1)
    other = TeamFactory(leader=leader, name="East Sales")
    MemberFactory(team=other, name="Zed Quinn", start_date=datetime.date(2024, 1, 1))
    stranger = Client()
    stranger.login(email=TrackerUserFactory().email, password=PASSWORD)
    for page in ("rankings", "results"):
        assert "Ana Diaz" in _html(leader_client, reverse(f"tracker:{page}", args=[team.pk, month]))
        html = _html(leader_client, reverse(f"tracker:{page}", args=[other.pk, month]))
        assert "Zed Quinn" in html and "Ana Diaz" not in html
        assert stranger.get(reverse(f"tracker:{page}", args=[team.pk, month])).status_code == 404

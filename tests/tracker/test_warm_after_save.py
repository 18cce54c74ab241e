"""After a grid save commits, a background task renders that month's rankings and both grids into the
cache (tracker/views/warm.py), so the leader's next view is warm; the page is the same as one the
view renders itself, and it is right when the task has not run yet or was overtaken by a write."""

import importlib
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from home.core.caching import memo
from tests.factories import PASSWORD
from tracker import services
from tracker.data_version import team_version
from tracker.rules import add_months
from tracker.selectors import current_month
from tracker.views.warm import warm_team_pages

from .factories import TrackerUserFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
BUILDS = ("tracker.views.meeting.rankings_context", "tracker.views.grids._table_html")


@pytest.fixture
def builds(monkeypatch):
    built = []
    for target in BUILDS:
        module, name = target.rsplit(".", 1)
        real = getattr(importlib.import_module(module), name)
        monkeypatch.setattr(target, lambda *a, _real=real, _name=name, **k: built.append(_name) or _real(*a, **k))
    return built


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _urls(team, month) -> list[str]:
    return [reverse(f"tracker:{page}", args=[team.pk, month]) for page in ("rankings", "results", "targets")]


def _post_save(client, team, month, cell: str, value: str, original: str) -> None:
    url = reverse("tracker:results", args=[team.pk, month])
    assert client.post(url, {f"c_{cell}": value, f"o_{cell}": original, "save": "1"}).status_code == 302


def test_a_grid_save_warms_the_month_s_rankings_and_grids(
    leader_client, team, members, metrics, builds, django_capture_on_commit_callbacks
):
    month = add_months(current_month(), -1)
    cell = f"{members[0].pk}_{metrics[0].pk}"
    services.month_values_save(
        team=team, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal(100)}
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _post_save(leader_client, team, month, cell, "91", "")
    assert len(callbacks) >= 1 and sorted(builds) == ["_table_html", "_table_html", "rankings_context"]
    builds.clear()
    _html(leader_client, reverse("tracker:team", args=[team.pk]))  # shows (and drops) the "saved" message
    memo.clear()  # the web process is not the worker: only the shared cache holds what it rendered
    warmed = [_html(leader_client, url) for url in _urls(team, month)]
    assert builds == []  # every page from the cache the task filled
    assert "91%" in warmed[0] and f'name="c_{cell}" value="91"' in warmed[1] and 'value="100"' in warmed[2]
    memo.clear()
    cache.clear()  # the same pages rendered by the views themselves
    rendered = [_html(leader_client, url) for url in _urls(team, month)]
    assert len(builds) == 3
    assert [CSRF.sub("", page) for page in warmed] == [CSRF.sub("", page) for page in rendered]


def test_before_the_task_runs_the_view_renders_the_saved_values(leader_client, team, members, metrics, builds):
    month = add_months(current_month(), -1)
    cell = f"{members[0].pk}_{metrics[0].pk}"
    rankings, results, _ = _urls(team, month)
    services.month_values_save(
        team=team, month=month, kind="targets", values={(members[0].pk, metrics[0].pk): Decimal(100)}
    )
    _html(leader_client, rankings), _html(leader_client, results)
    builds.clear()
    _post_save(leader_client, team, month, cell, "91", "")  # on-commit callbacks do not run here: no task
    assert builds == []
    assert f'name="c_{cell}" value="91"' in _html(leader_client, results)
    assert "91%" in _html(leader_client, rankings)
    assert sorted(builds) == ["_table_html", "rankings_context"]


def test_a_task_overtaken_by_a_write_renders_nothing(team, members, metrics, builds):
    month = add_months(current_month(), -1)
    version = team_version(team.pk)
    services.month_values_save(
        team=team, month=month, kind="results", values={(members[0].pk, metrics[0].pk): Decimal(5)}
    )
    zone = timezone.get_current_timezone_name()
    warm_team_pages.call(team_id=team.pk, month=month.isoformat(), time_zone=zone, version=version)
    assert builds == []
    warm_team_pages.call(team_id=team.pk, month=month.isoformat(), time_zone=zone, version=team_version(team.pk))
    assert len(builds) == 3


def test_warmed_pages_reach_no_stranger(leader_client, team, members, metrics, django_capture_on_commit_callbacks):
    month = add_months(current_month(), -1)
    with django_capture_on_commit_callbacks(execute=True):
        _post_save(leader_client, team, month, f"{members[0].pk}_{metrics[0].pk}", "91", "")
    stranger = Client()
    stranger.login(email=TrackerUserFactory().email, password=PASSWORD)
    for url in _urls(team, month):
        assert stranger.get(url).status_code == 404

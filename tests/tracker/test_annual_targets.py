"""Annual targets split by month: preview changes nothing, apply writes through the targets
service (history, concurrency), months already set are kept unless replaced, seasonality
profiles, and bad input refused with a message and nothing changed."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.models import Metric, SeasonalityProfile, Target, ValueChange

from .factories import MemberFactory, MetricFactory, put


@pytest.fixture
def year():
    return datetime.date(timezone.localdate().year, 1, 1)


def _months(first):
    return [datetime.date(first.year, m, 1) for m in range(1, 13)]


def _post(client, team, metric, annuals: dict, *, action="preview", split="even", replace=False, year=None, extra=None):
    data = {"year": f"{year:%Y-%m}", "metric": metric.pk, "split": split, "action": action}
    if replace:
        data["replace"] = "on"
    data.update({f"a_{member.pk}": text for member, text in annuals.items()})
    data.update(extra or {})
    return client.post(reverse("tracker:annual_targets", args=[team.pk]), data)


def _hidden_seen(response) -> dict:
    """The preview's carried-over values, as the browser would post them back."""
    import re

    page = response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(s_\d+_\d{4}-\d{2})" value="([^"]*)"', page))
    assert 'name="previewed" value="1"' in page
    return {"previewed": "1", **fields}


def _targets(member, metric):
    return {t.month: t.value for t in Target.objects.filter(member=member, metric=metric)}


def test_preview_changes_nothing_then_apply_writes_months_that_add_up(
    team, members, metrics, leader_client, leader, year
):
    sales, ana = metrics[0], members[0]
    response = _post(leader_client, team, sales, {ana: "1,000,000"}, year=year)
    assert response.status_code == 200
    page = response.content.decode()
    assert "$83,334" in page and "$83,333" in page and "Apply 12 monthly targets" in page
    assert not Target.objects.exists()
    response = _post(
        leader_client, team, sales, {ana: "1,000,000"}, year=year, action="apply", extra=_hidden_seen(response)
    )
    assert response.status_code == 302
    stored = _targets(ana, sales)
    assert sorted(stored) == _months(year) and sum(stored.values()) == D(1000000)
    changes = ValueChange.objects.filter(member=ana, metric=sales)
    assert changes.count() == 12 and {(c.how, c.changed_by_id) for c in changes} == {("annual", leader.pk)}


def test_months_already_set_are_kept_unless_replace_is_ticked(team, members, metrics, leader_client, year):
    closings, ben = metrics[1], members[1]
    put(ben, closings, year, 10)
    preview = _post(leader_client, team, closings, {ben: "43"}, year=year)
    assert "kept" in preview.content.decode()
    _post(leader_client, team, closings, {ben: "43"}, year=year, action="apply", extra=_hidden_seen(preview))
    stored = _targets(ben, closings)
    assert stored[year] == D(10) and sum(stored.values()) == D(43)  # 33 left over eleven months: 3 each
    preview = _post(leader_client, team, closings, {ben: "48"}, year=year, replace=True)
    _post(
        leader_client, team, closings, {ben: "48"}, year=year, replace=True, action="apply", extra=_hidden_seen(preview)
    )
    assert set(_targets(ben, closings).values()) == {D(4)}


def test_a_change_after_the_preview_stops_the_apply(team, members, metrics, leader_client, year):
    sales, ana = metrics[0], members[0]
    preview = _post(leader_client, team, sales, {ana: "120"}, year=year)
    put(ana, sales, datetime.date(year.year, 6, 1), 99)  # another tab sets June meanwhile
    response = _post(leader_client, team, sales, {ana: "120"}, year=year, action="apply", extra=_hidden_seen(preview))
    assert response.status_code == 200
    assert "changed since your preview, so nothing was saved" in response.content.decode()
    assert _targets(ana, sales) == {datetime.date(year.year, 6, 1): D(99)}
    assert not ValueChange.objects.exists()


def test_apply_without_a_preview_only_previews(team, members, metrics, leader_client, year):
    response = _post(leader_client, team, metrics[0], {members[0]: "120"}, year=year, action="apply")
    assert "Check the preview below" in response.content.decode()
    assert not Target.objects.exists()


def test_seasonality_profile_shapes_the_split(team, members, metrics, leader_client, year):
    percents = ["5", "5", "12", "14", "12", "10", "8", "8", "8", "7", "6", "5"]
    url = reverse("tracker:seasonality_profiles", args=[team.pk])
    response = leader_client.post(url, {"name": "Spring peak", **{f"p{n}": p for n, p in enumerate(percents, 1)}})
    assert response.status_code == 302
    profile = SeasonalityProfile.objects.get(team=team)
    assert "Spring peak" in leader_client.get(url).content.decode()
    sales, ana = metrics[0], members[0]
    preview = _post(leader_client, team, sales, {ana: "1000"}, year=year, split=str(profile.pk))
    _post(
        leader_client,
        team,
        sales,
        {ana: "1000"},
        year=year,
        split=str(profile.pk),
        action="apply",
        extra=_hidden_seen(preview),
    )
    stored = _targets(ana, sales)
    assert [stored[m] for m in _months(year)] == [D(p) * 10 for p in percents]


def test_averaged_metric_gets_the_annual_figure_each_month(team, members, leader_client, year):
    rating = MetricFactory(team=team, name="Rating", unit=Metric.Unit.AVERAGE_1_5, order=5)
    ana = members[0]
    preview = _post(leader_client, team, rating, {ana: "4.5"}, year=year)
    assert "each month" in preview.content.decode()
    _post(leader_client, team, rating, {ana: "4.5"}, year=year, action="apply", extra=_hidden_seen(preview))
    assert set(_targets(ana, rating).values()) == {D("4.5")} and len(_targets(ana, rating)) == 12


def test_member_who_joins_mid_year_gets_months_from_joining(team, metrics, leader_client, year):
    june = datetime.date(year.year, 6, 1)
    newcomer = MemberFactory(team=team, name="New Hire", start_date=june)
    preview = _post(leader_client, team, metrics[1], {newcomer: "70"}, year=year)
    _post(leader_client, team, metrics[1], {newcomer: "70"}, year=year, action="apply", extra=_hidden_seen(preview))
    stored = _targets(newcomer, metrics[1])
    assert min(stored) == june and set(stored.values()) == {D(10)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "must not be negative"),
        ("1000000000000", "is too large"),
        ("lots", "is not a number"),
        ("2,5", "could mean 2.5 or 25"),
        ("12.345", "could mean 12.345 or 12,345"),
        ("12.3456", "more than two decimal places"),
    ],
)
def test_bad_annual_figures_are_refused(team, members, metrics, leader_client, year, text, message):
    response = _post(leader_client, team, metrics[0], {members[0]: text}, year=year, action="apply")
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_team_number_format_is_used_to_read_the_annual_figure(team, members, metrics, leader_client, year):
    team.number_format = "comma"
    team.save()
    preview = _post(leader_client, team, metrics[0], {members[0]: "1.200,50"}, year=year)
    page = preview.content.decode()
    assert page.count("<strong>100,05\u00a0$</strong>") == 2 and page.count("<strong>100,04\u00a0$</strong>") == 10
    assert '<td class="num">1.200,50\u00a0$</td>' in page


def test_kept_months_over_the_annual_target_are_refused(team, members, metrics, leader_client, year):
    put(members[0], metrics[1], year, 50)
    response = _post(leader_client, team, metrics[1], {members[0]: "20"}, year=year)
    assert "more than the annual target" in response.content.decode()
    assert "Apply" not in response.content.decode().split("Preview</button>", 1)[1].split("</form>", 1)[0]


@pytest.mark.parametrize(
    ("percents", "message"),
    [
        (["8"] * 12, "add up to 96"),
        (["-10", "30"] + ["8"] * 10, "0 or more"),
        (["abc"] + ["8"] * 11, "is not a number"),
        (["200"] + ["0"] * 11, "more than 100"),
    ],
)
def test_bad_profiles_are_refused(team, leader_client, percents, message):
    url = reverse("tracker:seasonality_profiles", args=[team.pk])
    response = leader_client.post(url, {"name": "Odd", **{f"p{n}": p for n, p in enumerate(percents, 1)}})
    assert response.status_code == 200 and message in response.content.decode()
    assert not SeasonalityProfile.objects.exists()


def test_another_leader_gets_404(team, members, metrics, intruder_client, year):
    profile = SeasonalityProfile.objects.create(team=team, name="Mine", percents=["8.33"] * 11 + ["8.37"])
    for name in ("tracker:annual_targets", "tracker:seasonality_profiles"):
        url = reverse(name, args=[team.pk])
        assert intruder_client.get(url).status_code == 404
        assert intruder_client.post(url, {"delete": profile.pk}).status_code == 404
    response = _post(intruder_client, team, metrics[0], {members[0]: "100"}, year=year, action="apply")
    assert response.status_code == 404
    assert SeasonalityProfile.objects.filter(pk=profile.pk).exists() and not Target.objects.exists()


def test_profile_of_another_team_cannot_be_deleted(team, leader_client, intruder):
    other = SeasonalityProfile.objects.create(
        team=intruder.tracker_teams.get(), name="Theirs", percents=["8.33"] * 11 + ["8.37"]
    )
    leader_client.post(reverse("tracker:seasonality_profiles", args=[team.pk]), {"delete": other.pk})
    assert SeasonalityProfile.objects.filter(pk=other.pk).exists()

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tracker import services
from tracker.models import ActionItem, ConsistencySettings, ImprovementPlan, PlanCheckIn
from tracker.rules import add_months, month_start
from tracker.selectors import team_month_reviews

from .factories import fill, put

# The leader's own dates: the requests run in her time zone (accounts' UserTimezoneMiddleware), and
# between the site's midnight and hers "today" is not the same day in both (the suite once failed
# from 05:00 to 06:00 UTC, New York's midnight to Chicago's). The tests' own code runs in hers too.
LEADER_ZONE = ZoneInfo(UserFactory.time_zone)
TODAY = timezone.localdate(timezone=LEADER_ZONE)
LAST = add_months(month_start(TODAY), -1)


@pytest.fixture(autouse=True)
def _in_the_leaders_time_zone():
    with timezone.override(LEADER_ZONE):
        yield


def _held(team, member, month=LAST, gap=True):
    return services.one_on_one_hold(
        team=team, member=member, month=month, held_at=timezone.now(), notes="Why the dip", discussed_gap=gap, agenda={}
    )


def test_flag_for_the_month_names_the_metrics_below(team, members, metrics):
    ana, ben, cy = members
    fill(team, LAST, {ana: 100, ben: 100, cy: 100})
    sales, closings, cancellations = metrics
    put(ana, sales, LAST, 100, 50)  # 50% on the heaviest metric -> overall (0.5*3 + 1*2 + 1*1)/6 = 75%
    data = team_month_reviews(team=team, month=LAST)
    flagged = {r.member.name: r.flag for r in data.rows if r.flag}
    assert list(flagged) == ["Ana Diaz"]
    flag = flagged["Ana Diaz"]
    assert flag.percent == 75 and [c.metric.name for c in flag.metrics_below] == ["Sales"]
    assert flag.detected_on == add_months(LAST, 1)
    assert flag.reason == f"below 80% of target in {LAST:%B %Y}"  # the month it is about, by name
    # the leader's own threshold decides
    ConsistencySettings.objects.create(team=team, threshold_percent=70)
    assert not [r for r in team_month_reviews(team=team, month=LAST).rows if r.flag]


def test_flag_for_two_of_the_last_three_months(team, members, metrics):
    ana, ben, cy = members
    fill(team, LAST, {ana: 100, ben: 100, cy: 100}, months_back=2)
    fill(team, add_months(LAST, -1), {ben: 70})
    fill(team, add_months(LAST, -2), {ben: 75})
    fill(team, add_months(LAST, -1), {cy: 70})  # only one month below: not flagged
    flags = {r.member.name: r.flag for r in team_month_reviews(team=team, month=LAST).rows if r.flag}
    assert list(flags) == ["Ben Cole"]
    before, earlier = add_months(LAST, -1), add_months(LAST, -2)
    assert flags["Ben Cole"].reason == (
        f"below 80% of target in 2 of the last three months ({before:%B %Y} and {earlier:%B %Y})"
    )
    assert f"{LAST:%B %Y}" not in flags["Ben Cole"].reason  # he was fine last month: not named
    assert flags["Ben Cole"].percent == 100


def test_plan_needs_a_1on1_that_discussed_the_gap_then_records_numbers_and_days(team, members, metrics, leader_client):
    ana = members[0]
    fill(team, LAST, {ana: 60, members[1]: 100})
    deadline = TODAY + datetime.timedelta(days=45)
    url = reverse("tracker:plan_new", args=[team.pk, LAST, ana.pk])
    data = {
        "expectations": "Back to 90% on sales within six weeks",
        "support": "Weekly pipeline review on Mondays",
        "deadline": deadline.isoformat(),
        "check_in_1": (TODAY + datetime.timedelta(days=14)).isoformat(),
    }
    page = leader_client.get(url).content.decode()
    assert "60%" in page and f"below 80% of target in {LAST:%B %Y}" in page
    response = leader_client.post(url, data)
    assert response.status_code == 400 and "discusses the gap" in response.content.decode()
    _held(team, ana, gap=False)
    assert leader_client.post(url, data).status_code == 400
    _held(team, ana, gap=True)
    response = leader_client.post(url, data)
    assert response.status_code == 302
    plan = ImprovementPlan.objects.get()
    assert plan.below_standard["overall_percent"] == 60
    assert {m["name"] for m in plan.below_standard["metrics"]} == {"Sales", "Closings", "Cancellations"}
    assert plan.flag_detected_on == add_months(LAST, 1)
    assert plan.days_to_action == (TODAY - add_months(LAST, 1)).days
    assert plan.check_ins.get().planned
    commitment = ActionItem.objects.get(member=ana, owner="leader")
    assert "Weekly pipeline review" in commitment.text and commitment.due_on == deadline
    page = leader_client.get(reverse("tracker:plan", args=[team.pk, plan.pk]))
    assert page.status_code == 200 and "Back to 90% on sales" in page.content.decode()
    pdf = leader_client.get(reverse("tracker:plan_pdf", args=[team.pk, plan.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # a second open plan for the same member is refused
    with pytest.raises(ValidationError):
        services.plan_open(team=team, member=ana, month=LAST, expectations="x", support="y", deadline=deadline)


def test_no_plan_without_a_flag(team, members, metrics):
    fill(team, LAST, {members[0]: 100})
    _held(team, members[0])
    with pytest.raises(ValidationError, match="not flagged"):
        services.plan_open(
            team=team,
            member=members[0],
            month=LAST,
            expectations="x",
            support="y",
            deadline=TODAY + datetime.timedelta(30),
        )
    assert ImprovementPlan.objects.count() == 0 and ActionItem.objects.count() == 0


@pytest.fixture
def plan(team, members, metrics):
    fill(team, LAST, {members[0]: 60})
    _held(team, members[0])
    return services.plan_open(
        team=team,
        member=members[0],
        month=LAST,
        expectations="Ninety percent on every metric",
        support="I sit in on two calls a week",
        deadline=TODAY + datetime.timedelta(days=30),
    )


def test_outcome_without_a_date_is_refused_and_nothing_saved(plan, team, leader_client):
    url = reverse("tracker:plan", args=[team.pk, plan.pk])
    response = leader_client.post(url, {"action": "outcome", "outcome-outcome": "improved", "outcome-outcome_on": ""})
    assert response.status_code == 400
    assert "Give the date of the outcome" in response.content.decode()
    plan.refresh_from_db()
    assert plan.outcome == "" and plan.outcome_on is None
    with pytest.raises(ValidationError):
        services.plan_outcome(plan=plan, outcome="exited", on=TODAY + datetime.timedelta(days=3))


def test_extend_then_improve(plan, team, leader_client):
    url = reverse("tracker:plan", args=[team.pk, plan.pk])
    old_deadline = plan.deadline
    response = leader_client.post(
        url, {"action": "outcome", "outcome-outcome": "extended", "outcome-outcome_on": TODAY.isoformat()}
    )
    assert response.status_code == 400 and "new deadline" in response.content.decode()
    new_deadline = old_deadline + datetime.timedelta(days=21)
    leader_client.post(
        url,
        {
            "action": "outcome",
            "outcome-outcome": "extended",
            "outcome-outcome_on": TODAY.isoformat(),
            "outcome-new_deadline": new_deadline.isoformat(),
        },
    )
    plan.refresh_from_db()
    assert plan.outcome == "extended" and plan.deadline == new_deadline and plan.is_open
    leader_client.post(
        url, {"action": "check_in", "checkin-on": TODAY.isoformat(), "checkin-notes": "Two deals closed"}
    )
    assert PlanCheckIn.objects.filter(plan=plan, notes="Two deals closed").exists()
    leader_client.post(
        url, {"action": "outcome", "outcome-outcome": "improved", "outcome-outcome_on": TODAY.isoformat()}
    )
    plan.refresh_from_db()
    assert plan.outcome == "improved" and not plan.is_open
    with pytest.raises(ValidationError, match="final outcome"):
        services.plan_outcome(plan=plan, outcome="exited", on=TODAY)


def test_check_in_in_the_future_refused(plan):
    with pytest.raises(ValidationError):
        services.plan_check_in(plan=plan, on=TODAY + datetime.timedelta(days=2), notes="later")
    assert PlanCheckIn.objects.count() == 0


def test_overview_links_flag_to_plan(plan, team, leader_client):
    html = leader_client.get(reverse("tracker:reviews", args=[team.pk, LAST])).content.decode()
    assert "sub-par" in html and reverse("tracker:plan", args=[team.pk, plan.pk]) in html
    assert Decimal(plan.below_standard["threshold_percent"]) == 80

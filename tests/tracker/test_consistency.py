import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker import selectors
from tracker.models import (
    Celebration,
    ConsistencySettings,
    ImprovementPlan,
    MeetingPresentation,
    OneOnOne,
    TargetCommunication,
)
from tracker.rules import add_months, month_start

from .factories import fill

MARCH = datetime.date(2024, 3, 1)
TZ = ZoneInfo("America/New_York")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def report(team, today, end=datetime.date(2024, 4, 1)):
    return selectors.consistency_for_teams(teams=[team], end=end, today=today)[team.pk]


def states(rep, month=MARCH):
    return [s.state for s in rep.by_month[month].steps]


@pytest.fixture
def march(team, members, metrics):
    """March: Ana below standard, Ben and Cy fine."""
    ana, ben, cy = members
    fill(team, MARCH, {ana: 60, ben: 100, cy: 100}, months_back=2)
    fill(team, add_months(MARCH, -1), {ana: 100})
    fill(team, add_months(MARCH, -2), {ana: 100})
    return members


def do_all_five(team, members, *, one_on_one_day=5, gap_day=5, communicated=None):
    communicated = communicated or at(2024, 3, 1)
    TargetCommunication.objects.create(team=team, month=MARCH, sent_at=communicated, last_sent_at=communicated)
    MeetingPresentation.objects.create(team=team, month=MARCH, presented_at=at(2024, 4, 3))
    for m in members:
        day = gap_day if m.name == "Ana Diaz" else one_on_one_day
        OneOnOne.objects.create(
            team=team, member=m, month=MARCH, held_at=at(2024, 4, day), discussed_gap=m.name == "Ana Diaz"
        )
    Celebration.objects.create(team=team, member=members[1], month=MARCH, title="Steady", created_at=at(2024, 4, 4))


def test_all_five_steps_on_time_scores_five_and_starts_a_streak(team, march):
    do_all_five(team, march)
    rep = report(team, today=datetime.date(2024, 6, 1))
    assert states(rep) == ["done"] * 5
    assert rep.by_month[MARCH].score == 5
    # February: nothing done; only "act on every flag" holds, as nobody was below standard
    assert states(rep, add_months(MARCH, -1)) == ["missed", "missed", "missed", "done", "missed"]
    assert rep.by_month[datetime.date(2024, 4, 1)].score == 1
    assert rep.streak == 0  # April (finished, nothing done) breaks it
    rep = report(team, today=datetime.date(2024, 6, 1), end=MARCH)
    assert rep.streak == 1 and rep.score == 5


def test_late_and_missed_steps(team, march):
    ana, ben, cy = march
    do_all_five(team, march, one_on_one_day=20, gap_day=20, communicated=at(2024, 3, 4))
    OneOnOne.objects.filter(member=cy).delete()
    rep = report(team, today=datetime.date(2024, 6, 1))
    s = {st.step: st for st in rep.by_month[MARCH].steps}
    assert s[1].state == "late"  # after Friday 1 March
    assert s[2].state == "done"
    assert s[3].state == "missed" and "Cy Lane" in s[3].detail
    assert s[4].state == "late" and "Ana Diaz" in s[4].detail  # gap discussed on day 19 after the flag
    assert s[5].state == "done"
    assert rep.by_month[MARCH].score == 2
    prompt = rep.prompt
    assert prompt["kind"] == "skipped"


def test_an_improvement_plan_counts_as_acting_on_the_flag(team, march):
    do_all_five(team, march, gap_day=20)
    OneOnOne.objects.filter(member=march[0]).update(discussed_gap=False)
    rep = report(team, today=datetime.date(2024, 6, 1))
    assert states(rep)[3] == "missed"
    ImprovementPlan.objects.create(
        team=team,
        member=march[0],
        flagged_month=MARCH,
        expectations="x",
        support="y",
        deadline=datetime.date(2024, 6, 1),
        flag_detected_on=datetime.date(2024, 4, 1),
        opened_at=at(2024, 4, 9),
    )
    assert states(report(team, today=datetime.date(2024, 6, 1)))[3] == "done"
    ConsistencySettings.objects.create(team=team, act_within_days=5)
    assert states(report(team, today=datetime.date(2024, 6, 1)))[3] == "late"


def test_steps_not_yet_due_are_pending_and_the_prompt_names_the_next_one(team, march):
    TargetCommunication.objects.create(team=team, month=MARCH, sent_at=at(2024, 3, 1), last_sent_at=at(2024, 3, 1))
    rep = report(team, today=datetime.date(2024, 3, 20), end=MARCH)
    assert states(rep) == ["done", "pending", "pending", "pending", "pending"]
    assert rep.by_month[MARCH].in_progress
    assert rep.prompt["kind"] == "skipped"  # February was skipped entirely
    assert rep.prompt["step"].step == 1


def test_prompt_links_to_the_lesson_whose_apply_it_block_points_at_the_step(team, march, home_page):
    from lessons.models import LessonPage, ModulePage
    from program.models import ProgramPage

    program = home_page.add_child(instance=ProgramPage(title="Nine steps", slug="nine-steps", promise="Lead well."))
    module = program.add_child(instance=ModulePage(title="Accountability", slug="accountability"))
    lesson = module.add_child(
        instance=LessonPage(
            title="The monthly 1:1",
            slug="monthly-one-on-one",
            body=[("apply_it", {"action": "Book every 1:1 this week.", "tracker_step": "3"})],
        )
    )
    urls = selectors.lesson_urls_by_step()
    assert urls[3].endswith("/monthly-one-on-one/")
    assert urls[1].endswith("/nine-steps/")  # no lesson teaches step 1 here: the program page
    assert lesson.live


def test_consistency_page_heat_map_and_settings(team, march, leader_client):
    url = reverse("tracker:consistency", args=[team.pk])
    page = leader_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "heat-map" in html
    assert html.count("<rect") == 12 * 5
    response = leader_client.post(
        url,
        {
            "settings-threshold_percent": "0",
            "settings-publish_within_days": "5",
            "settings-review_within_days": "15",
            "settings-act_within_days": "14",
        },
    )
    assert response.status_code == 400 and not ConsistencySettings.objects.exists()
    leader_client.post(
        url,
        {
            "settings-threshold_percent": "90",
            "settings-publish_within_days": "3",
            "settings-review_within_days": "10",
            "settings-act_within_days": "7",
        },
    )
    assert ConsistencySettings.objects.get(team=team).threshold_percent == 90


def test_recording_a_celebration_raises_this_months_score(team, members, metrics, leader_client):
    this_month = month_start(timezone.localdate())
    before = selectors.team_consistency(team=team).by_month[this_month]
    assert before.steps[4].state == "pending"
    leader_client.post(
        reverse("tracker:celebrations", args=[team.pk, this_month]),
        {"action": "custom", "own-member": members[0].pk, "own-title": "First referral from a past buyer"},
    )
    after = selectors.team_consistency(team=team).by_month[this_month]
    assert after.steps[4].state == "done" and after.score == before.score + 1
    html = leader_client.get(reverse("tracker:consistency", args=[team.pk])).content.decode()
    assert f"so far: <strong>{after.score}/5</strong>" in html


def test_dashboard_panel_shows_score_and_prompt(team, march, leader_client, home_page):
    html = leader_client.get("/dashboard/").content.decode()
    assert "Your consistency" in html and reverse("tracker:consistency", args=[team.pk]) in html


def test_step_links_go_to_part_two_pages(team, leader_client):
    assert "/reviews/" in leader_client.get(reverse("tracker:step", args=[3]))["Location"]
    assert "#flags-heading" in leader_client.get(reverse("tracker:step", args=[4]))["Location"]
    assert "/celebrations/" in leader_client.get(reverse("tracker:step", args=[5]))["Location"]
    assert leader_client.get(reverse("tracker:step_lesson", args=[3])).status_code == 302


def test_months_before_the_team_was_created_do_not_count_even_with_backfilled_numbers(team, members, metrics):
    team.created_at = at(2024, 3, 10)
    team.save()
    fill(team, add_months(MARCH, -2), {members[0]: 100}, months_back=10)  # history typed in afterwards
    rep = report(team, today=datetime.date(2024, 4, 20))
    assert states(rep, add_months(MARCH, -1)) == ["before"] * 5
    assert "missed" in states(rep, MARCH)  # from the creation month on, it counts


def test_a_start_month_the_leader_sets_counts_from_there(team, members, metrics, leader_client):
    team.created_at = at(2024, 3, 10)
    team.save()
    url = reverse("tracker:team_settings", args=[team.pk])
    leader_client.post(url, {"team-name": team.name, "team-consistency_start": "2024-02-14"})
    team.refresh_from_db()
    assert team.consistency_start == datetime.date(2024, 2, 1)
    rep = report(team, today=datetime.date(2024, 4, 20))
    assert states(rep, add_months(MARCH, -2)) == ["before"] * 5
    assert "missed" in states(rep, add_months(MARCH, -1))
    leader_client.post(url, {"team-name": team.name})  # a form without the field keeps it
    team.refresh_from_db()
    assert team.consistency_start == datetime.date(2024, 2, 1)

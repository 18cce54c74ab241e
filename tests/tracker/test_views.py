import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tracker import services
from tracker.models import MeetingPresentation, Member, Metric, Result, Target, TeamCoLeader

from .factories import sales_results

MARCH = datetime.date(2024, 3, 1)


def team_urls(team, member, metric, result_import):
    """Every team view: (method, url)."""
    t = team.pk
    return [
        ("get", reverse("tracker:team", args=[t])),
        ("get", reverse("tracker:team_settings", args=[t])),
        ("post", reverse("tracker:team_settings", args=[t])),
        ("get", reverse("tracker:members", args=[t])),
        ("post", reverse("tracker:members", args=[t])),
        ("get", reverse("tracker:member", args=[t, member.pk])),
        # the cards before member_active (an inactive member has no card)
        ("get", reverse("tracker:results_card", args=[t, MARCH, member.pk])),
        ("post", reverse("tracker:results_card", args=[t, MARCH, member.pk])),
        ("get", reverse("tracker:targets_card", args=[t, MARCH, member.pk])),
        ("post", reverse("tracker:targets_card", args=[t, MARCH, member.pk])),
        ("post", reverse("tracker:member_active", args=[t, member.pk])),
        ("get", reverse("tracker:metrics", args=[t])),
        ("get", reverse("tracker:metric", args=[t, metric.pk])),
        ("post", reverse("tracker:metric_move", args=[t, metric.pk])),
        ("get", reverse("tracker:targets_current", args=[t])),
        ("get", reverse("tracker:targets", args=[t, MARCH])),
        ("post", reverse("tracker:targets", args=[t, MARCH])),
        ("get", reverse("tracker:communicate", args=[t, MARCH])),
        ("post", reverse("tracker:communicate", args=[t, MARCH])),
        ("get", reverse("tracker:results_current", args=[t])),
        ("get", reverse("tracker:results", args=[t, MARCH])),
        ("get", reverse("tracker:import", args=[t])),
        ("get", reverse("tracker:import_preview", args=[t, result_import.pk])),
        ("post", reverse("tracker:import_apply", args=[t, result_import.pk])),
        ("post", reverse("tracker:import_undo", args=[t, result_import.pk])),
        ("get", reverse("tracker:import_undo", args=[t, result_import.pk])),
        ("get", reverse("tracker:history", args=[t, MARCH])),
        ("get", reverse("tracker:history_cell", args=[t, MARCH, member.pk, metric.pk, "result"])),
        ("get", reverse("tracker:history_csv", args=[t])),
        ("get", reverse("tracker:rankings_current", args=[t])),
        ("get", reverse("tracker:rankings", args=[t, MARCH])),
        ("get", reverse("tracker:meeting", args=[t, MARCH])),
        ("get", reverse("tracker:meeting_pdf", args=[t, MARCH])),
        ("post", reverse("tracker:meeting_presented", args=[t, MARCH])),
        ("get", reverse("tracker:export_csv", args=[t])),
        ("get", reverse("tracker:export_json", args=[t])),
    ]


@pytest.fixture
def result_import(team, leader, members, metrics):
    return services.results_import_preview(
        team=team, uploaded_by=leader, filename="r.csv", data=b"member,month,Sales\nAna Diaz,2024-03,100\n"
    )


def test_every_team_view_is_404_for_another_user(team, members, metrics, result_import, intruder_client):
    for method, url in team_urls(team, members[0], metrics[0], result_import):
        response = getattr(intruder_client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert MeetingPresentation.objects.count() == 0
    assert Member.objects.get(pk=members[0].pk).active
    assert Result.objects.count() == 0


def test_member_and_metric_of_another_team_are_404(team, members, metrics, leader_client, intruder):
    other_team = intruder.tracker_teams.get()
    other_member = Member.objects.create(team=other_team, name="Zed")
    other_metric = Metric.objects.create(team=other_team, name="Zzz")
    assert leader_client.get(reverse("tracker:member", args=[team.pk, other_member.pk])).status_code == 404
    assert leader_client.get(reverse("tracker:metric", args=[team.pk, other_metric.pk])).status_code == 404
    assert leader_client.post(reverse("tracker:member_active", args=[team.pk, other_member.pk])).status_code == 404


def test_every_team_view_works_for_the_leader_and_a_coleader(
    team, members, metrics, result_import, leader_client, client
):
    for method, url in team_urls(team, members[0], metrics[0], result_import):
        response = getattr(leader_client, method)(url)
        assert response.status_code in (200, 302), (method, url, response.status_code)
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    client.logout()
    client.login(email=co.email, password=PASSWORD)
    assert client.get(reverse("tracker:rankings", args=[team.pk, MARCH])).status_code == 200


def test_anonymous_redirected_to_login_and_unenrolled_user_gets_403(db, client, team):
    response = client.get(reverse("tracker:team", args=[team.pk]))
    assert response.status_code == 302 and "login" in response.url
    plain = UserFactory()
    client.login(email=plain.email, password=PASSWORD)
    response = client.get(reverse("tracker:team_list"))
    assert response.status_code == 403
    assert b"comes with the program" in response.content


def test_enrolled_leader_may_use_tracker(home_page, client):
    from program.models import Enrollment, ProgramPage

    program = home_page.add_child(instance=ProgramPage(title="9 Steps", slug="nine", promise="Lead"))
    learner = UserFactory()
    Enrollment.objects.create(user=learner, program=program, source=Enrollment.Source.MANUAL)
    client.login(email=learner.email, password=PASSWORD)
    assert client.get(reverse("tracker:team_list")).status_code == 200
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.REVOKED)
    assert client.get(reverse("tracker:team_list")).status_code == 403


def test_create_team_then_members(leader_client, leader):
    response = leader_client.post(reverse("tracker:team_list"), {"name": "East", "show_full_rankings": "on"})
    team = leader.tracker_teams.get()
    assert response.url == reverse("tracker:members", args=[team.pk])
    assert team.metrics.count() == 4
    leader_client.post(
        reverse("tracker:members", args=[team.pk]),
        {"name": "Dee", "email": "", "role": "Rep", "start_date": "2024-02-01", "active": "on"},
    )
    member = team.members.get()
    leader_client.post(reverse("tracker:member_active", args=[team.pk, member.pk]), {"active": "0"})
    member.refresh_from_db()
    assert not member.active


def test_targets_grid_save_copy_and_apply_to_all(team, members, metrics, leader_client):
    ana, ben, cy = members
    sales = metrics[0]
    url = reverse("tracker:targets", args=[team.pk, MARCH])
    response = leader_client.get(url)
    # plain inputs in a table, one per member and metric
    assert response.content.count(b'inputmode="decimal"') == 3 * 3 + 3
    data = {f"c_{ana.pk}_{sales.pk}": "$12,000", f"c_{ben.pk}_{sales.pk}": "10000", "save": "1"}
    response = leader_client.post(url, data)
    assert response.status_code == 302
    assert set(Target.objects.values_list("member__name", "value")) == {
        ("Ana Diaz", D("12000")),
        ("Ben Cole", D("10000")),
    }
    # copy last month into April: prefilled, not saved
    april = reverse("tracker:targets", args=[team.pk, datetime.date(2024, 4, 1)])
    response = leader_client.get(april + "?copy=1")
    assert b'value="12,000"' in response.content
    assert Target.objects.filter(month=datetime.date(2024, 4, 1)).count() == 0
    # apply to all fills the column without saving
    response = leader_client.post(url, {f"apply_{sales.pk}": "9000", "apply": str(sales.pk)})
    assert response.content.count(b'value="9000"') >= 4
    assert b"27,000" not in response.content  # the team total counts saved values only
    assert b"22,000" in response.content
    assert not Target.objects.filter(value=D("9000")).exists()


def test_targets_grid_bad_input_saves_nothing(team, members, metrics, leader_client):
    ana, ben, _ = members
    url = reverse("tracker:targets", args=[team.pk, MARCH])
    response = leader_client.post(
        url,
        {
            f"c_{ana.pk}_{metrics[0].pk}": "100",
            f"c_{ben.pk}_{metrics[0].pk}": "-4",
            f"c_{ben.pk}_{metrics[1].pk}": "lots",
            "save": "1",
        },
    )
    assert response.status_code == 200
    assert b"Must not be negative." in response.content
    assert b"&#x27;lots&#x27; is not a number." in response.content
    assert Target.objects.count() == 0


def test_results_grid_shows_targets_and_saves(team, members, metrics, leader_client):
    ana = members[0]
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(ana.pk, metrics[0].pk): D("5000")})
    url = reverse("tracker:results", args=[team.pk, MARCH])
    assert b"of $5,000" in leader_client.get(url).content  # the target, formatted as money
    leader_client.post(url, {f"c_{ana.pk}_{metrics[0].pk}": "6000", "save": "1"})
    assert Result.objects.get().value == D("6000")


def test_inactive_member_not_in_grid(team, members, metrics, leader_client):
    services.member_set_active(member=members[2], active=False)
    response = leader_client.get(reverse("tracker:results", args=[team.pk, MARCH]))
    assert b"Cy Lane" not in response.content


def _march_results(team, members, metrics):
    sales_results(team, members, metrics, month=MARCH)


def test_rankings_page_and_meeting_top_half(team, members, metrics, leader_client):
    _march_results(team, members, metrics)
    response = leader_client.get(reverse("tracker:rankings", args=[team.pk, MARCH]))
    html = response.content.decode()
    assert html.index("Ana Diaz") < html.index("Ben Cole") < html.index("Cy Lane")
    assert "<svg" in html
    team.show_full_rankings = False
    team.save()
    response = leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH]))
    html = response.content.decode()
    assert "Ana Diaz" in html and "Ben Cole" in html
    ranking_section = html[html.index("ranking-heading") : html.index("</section>", html.index("ranking-heading"))]
    assert "Cy Lane" not in ranking_section
    assert "tracker-meeting" in html  # full-screen layout


def test_meeting_pdf_and_mark_presented(team, members, metrics, leader_client):
    _march_results(team, members, metrics)
    response = leader_client.get(reverse("tracker:meeting_pdf", args=[team.pk, MARCH]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    leader_client.post(reverse("tracker:meeting_presented", args=[team.pk, MARCH]))
    leader_client.post(reverse("tracker:meeting_presented", args=[team.pk, MARCH]))
    assert MeetingPresentation.objects.filter(team=team, month=MARCH).count() == 1
    assert b"Presented" in leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).content


def test_communicate_page_lists_acknowledgements(
    team, members, metrics, leader_client, django_capture_on_commit_callbacks
):
    services.month_values_save(
        team=team, month=MARCH, kind="targets", values={(m.pk, metrics[0].pk): D("100") for m in members}
    )
    url = reverse("tracker:communicate", args=[team.pk, MARCH])
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(url)
    html = leader_client.get(url).content.decode()
    assert "Acknowledged: 0 of 2" in html
    assert "No email address for: Cy Lane" in html
    assert "late" in html


def test_step_links(leader_client, team):
    assert leader_client.get(reverse("tracker:step", args=[1])).url.startswith(f"/tracker/{team.pk}/targets/")
    assert leader_client.get(reverse("tracker:step", args=[2])).url.startswith(f"/tracker/{team.pk}/rankings/")
    assert leader_client.get(reverse("tracker:step", args=[9])).url == f"/tracker/{team.pk}/"


def test_step_link_without_team_goes_to_team_list(leader_client):
    assert leader_client.get(reverse("tracker:step", args=[1])).url == reverse("tracker:team_list")


def test_dashboard_panel(team, leader_client):
    response = leader_client.get(reverse("accounts:dashboard"))
    assert b"Team tracker" in response.content and b"North Sales" in response.content


def test_settings_invite_coleader_and_toggle_rankings(team, leader_client, other_user):
    url = reverse("tracker:team_settings", args=[team.pk])
    leader_client.post(url, {"co-email": other_user.email})
    assert not team.co_leaders.exists()  # invited, not added: they accept first
    assert team.coleader_invitations.get().email == other_user.email
    leader_client.post(url, {"team-name": "North", "team-show_full_rankings": ""})
    team.refresh_from_db()
    assert team.name == "North" and not team.show_full_rankings

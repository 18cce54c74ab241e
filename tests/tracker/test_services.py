import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tracker import selectors, services
from tracker.models import Metric, Result, Target, TargetAcknowledgement, TargetCommunication
from tracker.selectors import team_board, teams_for_user

MARCH = datetime.date(2024, 3, 1)


def test_team_create_adds_the_method_default_metrics(leader):
    team = services.team_create(leader=leader, name=" West ")
    assert team.name == "West"
    assert list(team.metrics.values_list("name", "unit")) == [
        ("Sales", "money"),
        ("Closings", "count"),
        ("Customer rating", "average_1_5"),
        ("Paperwork on time", "percentage"),
    ]


def test_coleader_sees_the_team_once_they_accept(team, other_user):
    from tracker.services.coleaders import INVITATION_SALT, make_token

    invitation = services.coleader_invite(team=team, email=other_user.email.upper())
    assert team not in teams_for_user(other_user)
    services.coleader_accept(token=make_token(invitation.key, salt=INVITATION_SALT), user=other_user)
    assert list(teams_for_user(other_user)) == [team]


def test_metric_move_reorders(metrics):
    services.metric_move(metric=metrics[2], direction="up")
    assert list(Metric.objects.filter(team=metrics[0].team).values_list("name", flat=True)) == [
        "Sales",
        "Cancellations",
        "Closings",
    ]
    services.metric_move(metric=metrics[0], direction="up")  # already first: nothing moves
    assert Metric.objects.get(pk=metrics[0].pk).order == 0


def test_month_values_save_creates_updates_and_clears(team, members, metrics):
    ana, ben, _ = members
    sales = metrics[0]
    services.month_values_save(
        team=team, month=MARCH, kind="targets", values={(ana.pk, sales.pk): D("1000"), (ben.pk, sales.pk): D("900")}
    )
    counts = services.month_values_save(
        team=team, month=MARCH, kind="targets", values={(ana.pk, sales.pk): D("1100"), (ben.pk, sales.pk): None}
    )
    assert counts == {"created": 0, "changed": 1, "removed": 1, "kept_newer": 0, "conflicts": []}
    assert list(Target.objects.values_list("member__name", "value")) == [("Ana Diaz", D("1100"))]


@pytest.mark.parametrize("value", [D("-5")])
def test_negative_values_rejected_and_nothing_saved(team, members, metrics, value):
    ana, ben, _ = members
    with pytest.raises(ValidationError) as exc:
        services.month_values_save(
            team=team,
            month=MARCH,
            kind="targets",
            values={(ana.pk, metrics[0].pk): D("10"), (ben.pk, metrics[0].pk): value},
        )
    assert "must not be negative" in str(exc.value)
    assert Target.objects.count() == 0


def test_results_for_inactive_member_or_before_start_rejected(team, members, metrics):
    ana, ben, _ = members
    ben.active = False
    ben.save()
    with pytest.raises(ValidationError) as exc:
        services.month_values_save(team=team, month=MARCH, kind="results", values={(ben.pk, metrics[0].pk): D("10")})
    assert "inactive" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.month_values_save(
            team=team, month=datetime.date(2023, 12, 1), kind="results", values={(ana.pk, metrics[0].pk): D("10")}
        )
    assert "started in January 2024" in str(exc.value)
    assert Result.objects.count() == 0


def test_values_of_another_team_refused(team, members, metrics, intruder):
    other_team = intruder.tracker_teams.get()
    with pytest.raises(ValidationError):
        services.month_values_save(
            team=other_team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("1")}
        )
    assert Target.objects.count() == 0


def test_communicate_emails_members_with_pdf_and_ack_link(
    team, members, metrics, leader, client, django_capture_on_commit_callbacks
):
    ana, ben, cy = members
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="targets",
        values={
            (ana.pk, metrics[0].pk): D("50000"),
            (ben.pk, metrics[0].pk): D("40000"),
            (cy.pk, metrics[0].pk): D("1"),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        communication = services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    assert {m.to[0] for m in mail.outbox} == {"ana@example.com", "ben@example.com"}  # Cy has no email
    message = next(m for m in mail.outbox if m.to == ["ana@example.com"])
    assert "$50,000" in message.body
    assert message.attachments[0][0] == "targets-2024-03.pdf"
    assert message.attachments[0][1].startswith(b"%PDF")
    assert communication.is_late  # sent in the test's present, long after March 2024 began
    ack = TargetAcknowledgement.objects.get(member=ana)
    assert ack.emailed_at is not None
    link = next(line for line in message.body.splitlines() if "/tracker/ack/" in line)
    path = link[link.index("/tracker/ack/") :]
    response = client.get(path)
    assert response.status_code == 200 and b"I have my targets" in response.content
    assert TargetAcknowledgement.objects.get(member=ana).acknowledged_at is None  # a GET (link scanner) changes nothing
    client.post(path)
    assert TargetAcknowledgement.objects.get(member=ana).acknowledged_at is not None
    assert TargetAcknowledgement.objects.get(member=ben).acknowledged_at is None


def test_resend_keeps_first_sent_at_and_acks(team, members, metrics, leader):
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("5")})
    first = services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    services.target_acknowledge(ack=TargetAcknowledgement.objects.get())
    again = services.targets_communicate(team=team, month=MARCH, sent_by=leader, everyone=True)
    assert again.sent_at == first.sent_at and again.last_sent_at >= first.sent_at
    assert TargetCommunication.objects.count() == 1
    assert TargetAcknowledgement.objects.get().acknowledged_at is not None


def test_communicate_without_targets_refused(team, members, metrics, leader):
    with pytest.raises(ValidationError):
        services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    assert TargetCommunication.objects.count() == 0
    assert not mail.outbox


def test_communication_late_only_after_first_working_day(team):
    on_time = TargetCommunication(
        team=team, month=datetime.date(2026, 3, 1), sent_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9))
    )
    late = TargetCommunication(
        team=team, month=datetime.date(2026, 3, 1), sent_at=timezone.make_aware(datetime.datetime(2026, 3, 3, 9))
    )
    early = TargetCommunication(
        team=team, month=datetime.date(2026, 3, 1), sent_at=timezone.make_aware(datetime.datetime(2026, 2, 26, 9))
    )
    assert not on_time.is_late and late.is_late and not early.is_late


def test_forged_or_tampered_ack_token_rejected(db, client):
    assert selectors.ack_from_token("nonsense") is None
    assert client.get("/tracker/ack/nonsense/").status_code == 404


def test_board_ranks_with_ties_and_rank_change(team, members, metrics):
    ana, ben, cy = members
    sales = metrics[0]
    feb = datetime.date(2024, 2, 1)
    for month, results in ((feb, (D("50"), D("100"), D("80"))), (MARCH, (D("100"), D("100"), D("90")))):
        services.month_values_save(
            team=team, month=month, kind="targets", values={(m.pk, sales.pk): D("100") for m in members}
        )
        services.month_values_save(
            team=team,
            month=month,
            kind="results",
            values={(m.pk, sales.pk): r for m, r in zip(members, results, strict=True)},
        )
    board = team_board(team=team, month=MARCH)
    ranks = {r.member.name: (r.rank, r.rank_change, r.percent) for r in board.rows}
    assert ranks == {"Ana Diaz": (1, 2, 100), "Ben Cole": (1, 0, 100), "Cy Lane": (3, -1, 90)}
    assert [r.member.name for r in board.top_half] == ["Ana Diaz", "Ben Cole"]
    metric, ranked = board.metric_rankings[0]
    assert [(rank, m.name) for rank, m, _ in ranked] == [(1, "Ana Diaz"), (1, "Ben Cole"), (3, "Cy Lane")]


def test_board_weighted_overall_with_lower_is_better(team, members, metrics):
    ana = members[0]
    sales, closings, cancellations = metrics
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="targets",
        values={(ana.pk, sales.pk): D("100"), (ana.pk, closings.pk): D("10"), (ana.pk, cancellations.pk): D("2")},
    )
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="results",
        values={(ana.pk, sales.pk): D("110"), (ana.pk, closings.pk): D("5"), (ana.pk, cancellations.pk): D("4")},
    )
    row = next(r for r in team_board(team=team, month=MARCH).rows if r.member == ana)
    # (1.1*3 + 0.5*2 + 0.5*1) / 6
    assert row.overall == (D("1.1") * 3 + D("0.5") * 2 + D("0.5")) / 6
    assert [c.percent for c in row.cells] == [110, 50, 50]


def test_targets_reminder_window():
    from tracker.selectors import targets_reminder

    march, april = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
    # mid-month, this month done: no reminder
    assert targets_reminder(today=datetime.date(2026, 3, 10), communicated_months={march}) is None
    # a few days before April starts: remind
    assert "April starts in 4 day(s)" in targets_reminder(today=datetime.date(2026, 3, 28), communicated_months={march})
    assert targets_reminder(today=datetime.date(2026, 3, 28), communicated_months={march, april}) is None
    # this month never communicated: remind, and say it is overdue after the first working day
    assert "were due on Monday 2 March" in targets_reminder(today=datetime.date(2026, 3, 10), communicated_months=set())


def test_dashboard_summary_and_team_dashboard_reminder(team, leader):
    from tracker.selectors import dashboard_summary, team_dashboard

    today = datetime.date(2026, 3, 28)
    summary = dashboard_summary(user=leader, today=today)
    assert summary["teams"][0]["team"] == team
    assert "April starts" in summary["teams"][0]["reminder"]
    TargetCommunication.objects.create(team=team, month=datetime.date(2026, 3, 1))
    TargetCommunication.objects.create(team=team, month=datetime.date(2026, 4, 1))
    assert team_dashboard(team=team, today=today).reminder is None


def test_duplicate_metric_names_are_refused_ignoring_case_and_spaces(team, metrics, leader_client):
    with pytest.raises(ValidationError) as exc:
        services.metric_create(team=team, name="  sales ")
    assert "already has a metric called 'Sales'" in str(exc.value)
    with pytest.raises(ValidationError):
        services.metric_update(
            metric=metrics[1], name="SALES", unit="count", higher_is_better=True, weight=D("1"), archived=False
        )
    response = leader_client.post(
        reverse("tracker:metrics", args=[team.pk]), {"name": "Closings", "unit": "count", "weight": "1"}
    )
    assert response.status_code == 200 and "already has a metric called" in response.content.decode()
    assert team.metrics.count() == 3
    other = services.metric_create(team=team, name="Total   units")
    assert other.name == "Total units"

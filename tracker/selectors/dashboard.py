"""The learner dashboard's tracker panels and the team's home page."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Value
from django.urls import reverse
from django.utils import timezone

from ..models import ActionItem, MeetingPresentation, TargetAcknowledgement, TargetCommunication, Team
from ..rules import STEPS, Board, add_months, month_start
from .communication import targets_reminder
from .consistency import consistency_for_teams
from .rankings import team_board
from .teams import dashboard_access

TREND_MONTHS = 12


@dataclass
class TeamDashboard:
    team: Team
    month: datetime.date
    board: Board
    communication: TargetCommunication | None
    next_communication: TargetCommunication | None
    acknowledged: int
    acknowledgements: int
    presented: MeetingPresentation | None
    last_month_presented: MeetingPresentation | None
    last_month: datetime.date
    reminder: str | None
    my_commitments: list[ActionItem]


def team_dashboard(*, team: Team, today: datetime.date | None = None) -> TeamDashboard:
    """The team's home: this month's standing, 12-month trend, communication and meeting status,
    the targets reminder and the leader's own open commitments ("how I will help") across all
    members, each with its member and 1:1. Seven queries (board 4 + 3)."""
    today = today or timezone.localdate()
    month = month_start(today)
    board = team_board(team=team, month=month, history=TREND_MONTHS)
    months = [add_months(month, -1), month, add_months(month, 1)]
    communications = {
        c.month: c
        for c in TargetCommunication.objects.filter(team=team, month__in=months).annotate(
            ack_total=Count("acknowledgements"),
            ack_done=Count("acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=False)),
        )
    }
    presentations = {p.month: p for p in MeetingPresentation.objects.filter(team=team, month__in=months[:2])}
    communication = communications.get(month)
    acknowledged = acknowledgements = 0
    next_communication = communications.get(months[2])
    latest = next_communication or communication
    if latest:
        acks = list(
            TargetAcknowledgement.objects.filter(communication=latest).values_list("acknowledged_at", flat=True)
        )
        acknowledgements = len(acks)
        acknowledged = sum(1 for a in acks if a is not None)
    return TeamDashboard(
        team=team,
        month=month,
        board=board,
        communication=communication,
        next_communication=next_communication,
        acknowledged=acknowledged,
        acknowledgements=acknowledgements,
        presented=presentations.get(month),
        last_month_presented=presentations.get(months[0]),
        last_month=months[0],
        reminder=targets_reminder(today=today, communicated_months=set(communications)),
        my_commitments=list(
            ActionItem.objects.filter(team=team, owner=ActionItem.Owner.LEADER, done_at__isnull=True)
            .select_related("member", "one_on_one")
            .order_by("due_on", "pk")
        ),
    )


def dashboard_summary(
    *, user, today: datetime.date | None = None, access: tuple[bool, list[Team]] | None = None
) -> dict | None:
    """The learner-dashboard panel: the user's teams with this month's communication status and a
    reminder. None when the user cannot use the tracker. Fixed queries."""
    can_use, teams = access if access is not None else dashboard_access(user)
    if not can_use:
        return None
    today = today or timezone.localdate()
    month = month_start(today)
    teams = teams[:10]
    months = [month, add_months(month, 1)]
    communicated = defaultdict(set)
    presented = set()
    if teams:  # one UNION: this and next month's communications, last month's presentations
        sent = (
            TargetCommunication.objects.filter(team__in=teams, month__in=months)
            .order_by()
            .annotate(kind=Value(1, IntegerField()))
            .values_list("kind", "team_id", "month")
        )
        shown = (
            MeetingPresentation.objects.filter(team__in=teams, month=add_months(month, -1))
            .order_by()
            .annotate(kind=Value(2, IntegerField()))
            .values_list("kind", "team_id", "month")
        )
        for kind, team_id, m in sent.union(shown, all=True):
            if kind == 1:
                communicated[team_id].add(m)
            else:
                presented.add(team_id)
    rows = []
    for team in teams:
        rows.append(
            {
                "team": team,
                "communicated": month in communicated[team.pk],
                "reminder": targets_reminder(today=today, communicated_months=communicated[team.pk]),
                "last_month_presented": team.pk in presented,
            }
        )
    return {"teams": rows, "month": month}


DASHBOARD_TEAMS = 5  # teams shown on the dashboard; the consistency page has every team


def dashboard_consistency(*, user, today: datetime.date | None = None, access=None) -> dict | None:
    """The dashboard panel: score, streak, last six months and the next-step prompt of each of the
    user's teams (by name, up to DASHBOARD_TEAMS), in the report's fixed queries for all of them.
    None when the user has no team (or no tracker). `access`: `selectors.dashboard_access(user)`.
    The first team's entries are also at the top level (`team`, `report`, `prompt`, `recent`).
    Not cached here: the dashboard keeps the panel's HTML per team data version
    (tracker/views/dashboard_panels.py)."""
    can_use, teams = access if access is not None else dashboard_access(user)
    if not can_use or not teams:
        return None
    teams = teams[:DASHBOARD_TEAMS]
    today = today or timezone.localdate()
    reports = consistency_for_teams(teams=teams, today=today)
    lesson_urls = {step: reverse("tracker:step_lesson", args=[step]) for step in STEPS}
    for report in reports.values():
        report.lesson_urls = lesson_urls
    entries = [
        {
            "team": team,
            "report": reports[team.pk],
            "prompt": reports[team.pk].prompt,
            "recent": reports[team.pk].months[-6:],
        }
        for team in teams
    ]
    return {**entries[0], "teams": entries}

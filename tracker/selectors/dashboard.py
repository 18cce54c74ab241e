"""The learner dashboard's tracker panels and the team's home page."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Value
from django.urls import reverse
from django.utils import timezone

from ..models import ActionItem, MeetingPresentation, TargetCommunication, Team
from ..rules import STEPS, Board, add_months, month_range, month_start
from .communication import targets_reminder
from .consistency import HEAT_MONTHS, _events, consistency_for_teams
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
    presented: bool
    last_month_presented: bool
    last_month: datetime.date
    reminder: str | None
    my_commitments: list[ActionItem]


def team_dashboard(*, team: Team, today: datetime.date | None = None) -> TeamDashboard:
    """The team's home: this month's standing, 12-month trend, communication and meeting status,
    the targets reminder and the leader's own open commitments ("how I will help") across all
    members, each with its member and 1:1. Five queries (the board 3, the communications and
    presentations 1, the commitments 1)."""
    today = today or timezone.localdate()
    month = month_start(today)
    board = team_board(team=team, month=month, history=TREND_MONTHS)
    months = [add_months(month, -1), month, add_months(month, 1)]
    communications, presented = _sent_and_presented(team=team, months=months)
    communication = communications.get(month)
    next_communication = communications.get(months[2])
    latest = next_communication or communication
    acknowledged, acknowledgements = (latest.ack_done, latest.ack_total) if latest else (0, 0)
    return TeamDashboard(
        team=team,
        month=month,
        board=board,
        communication=communication,
        next_communication=next_communication,
        acknowledged=acknowledged,
        acknowledgements=acknowledgements,
        presented=month in presented,
        last_month_presented=months[0] in presented,
        last_month=months[0],
        reminder=targets_reminder(today=today, communicated_months=set(communications)),
        my_commitments=list(
            ActionItem.objects.filter(team=team, owner=ActionItem.Owner.LEADER, done_at__isnull=True)
            .select_related("member", "one_on_one")
            .order_by("due_on", "pk")
        ),
    )


def _sent_and_presented(*, team: Team, months: list[datetime.date]) -> tuple[dict, set]:
    """({month: its communication, with `ack_total` and `ack_done`} for `months`, {the months of
    months[:2] presented}), in one UNION query. Each communication is rebuilt from the columns the
    dashboard shows (when it was sent, the acknowledgement counts), not saved or written to."""
    fields = ("kind", "month", "at", "ack_total", "ack_done")
    sent = (
        TargetCommunication.objects.filter(team=team, month__in=months)
        .annotate(
            kind=Value(0, IntegerField()),
            at=F("sent_at"),
            ack_total=Count("acknowledgements"),
            ack_done=Count("acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=False)),
        )
        .values_list(*fields)
    )
    presented = (
        MeetingPresentation.objects.filter(team=team, month__in=months[:2])
        .annotate(
            kind=Value(1, IntegerField()),
            at=F("presented_at"),
            ack_total=Value(0, IntegerField()),
            ack_done=Value(0, IntegerField()),
        )
        .values_list(*fields)
    )
    communications, presented_months = {}, set()
    for kind, month, at, ack_total, ack_done in sent.union(presented, all=True):
        if kind == 1:
            presented_months.add(month)
            continue
        communication = TargetCommunication(team=team, month=month, sent_at=at)
        communication.ack_total, communication.ack_done = ack_total, ack_done
        communications[month] = communication
    return communications, presented_months


SUMMARY_TEAMS = 10  # teams on the summary panel


def dashboard_events(*, teams: list[Team], today: datetime.date) -> list[tuple]:
    """Both dashboard panels' events in one UNION query (`consistency._events`' rows): the
    consistency panel's for its first DASHBOARD_TEAMS teams over HEAT_MONTHS, with the summary
    panel's communications (up to next month) and presentations for its first SUMMARY_TEAMS."""
    if not teams:
        return []
    month = month_start(today)
    months = month_range(month, HEAT_MONTHS)
    return list(
        _events(
            teams[:DASHBOARD_TEAMS],
            months,
            sent_teams=teams[:SUMMARY_TEAMS],
            sent_months=[*months, add_months(month, 1)],
        )
    )


def _summary_from_events(*, events: list[tuple], month: datetime.date) -> tuple[dict, set]:
    months, last_month = {month, add_months(month, 1)}, add_months(month, -1)
    communicated, presented = defaultdict(set), set()
    for kind, team_id, m, _at, _member in events:
        if kind == 1 and m in months:
            communicated[team_id].add(m)
        elif kind == 2 and m == last_month:
            presented.add(team_id)
    return communicated, presented


def dashboard_summary(
    *,
    user,
    today: datetime.date | None = None,
    access: tuple[bool, list[Team]] | None = None,
    events: list[tuple] | None = None,
) -> dict | None:
    """The learner-dashboard panel: the user's teams with this month's communication status and a
    reminder. None when the user cannot use the tracker. Fixed queries; none with `events`
    (`dashboard_events`' rows for the same teams and day)."""
    can_use, teams = access if access is not None else dashboard_access(user)
    if not can_use:
        return None
    today = today or timezone.localdate()
    month = month_start(today)
    teams = teams[:SUMMARY_TEAMS]
    months = [month, add_months(month, 1)]
    communicated = defaultdict(set)
    presented = set()
    if events is not None:
        communicated, presented = _summary_from_events(events=events, month=month)
    elif teams:  # one UNION: this and next month's communications, last month's presentations
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


def dashboard_consistency(*, user, today: datetime.date | None = None, access=None, events=None) -> dict | None:
    """The dashboard panel: score, streak, last six months and the next-step prompt of each of the
    user's teams (by name, up to DASHBOARD_TEAMS), in the report's fixed queries for all of them.
    None when the user has no team (or no tracker). `access`: `selectors.dashboard_access(user)`.
    The first team's entries are also at the top level (`team`, `report`, `prompt`, `recent`).
    Two queries (members, metrics and values in one; the events), one with `events`
    (`dashboard_events`' rows for the same teams and day). Not cached here: the dashboard keeps the
    panel's HTML per team data version (tracker/views/dashboard_panels.py)."""
    can_use, teams = access if access is not None else dashboard_access(user)
    if not can_use or not teams:
        return None
    teams = teams[:DASHBOARD_TEAMS]
    today = today or timezone.localdate()
    reports = consistency_for_teams(teams=teams, today=today, events=events, combined=True)
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

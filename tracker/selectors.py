"""Reads for the tracker. Each page's selector uses a fixed number of queries, whatever the
team size or history: members, metrics, targets and results are fetched once each and the
attainment maths happens in Python (tracker.attainment)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from program.models import Enrollment

from .attainment import (
    add_months,
    as_percent,
    attainment,
    competition_ranks,
    first_working_day,
    month_range,
    month_start,
    weighted_overall,
)
from .models import (
    MeetingPresentation,
    Member,
    Metric,
    Result,
    Target,
    TargetAcknowledgement,
    TargetCommunication,
    Team,
    TeamCoLeader,
    TrackerAccess,
)

REMINDER_DAYS_BEFORE = 5
TREND_MONTHS = 12


# --- access ---------------------------------------------------------------------------------


def user_can_use_tracker(user) -> bool:
    """Staff, leaders with an active enrollment in any program, users on a free trial, and
    co-leaders a leader invited (they may run that team with them). One query at most."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return User.objects.filter(pk=user.pk).filter(_may_use_tracker(user)).exists()


def _may_use_tracker(user) -> Q:
    """The condition of `user_can_use_tracker` for a non-staff user, as subqueries on the user's id
    (usable in any query: the dashboard asks it alongside the user's teams)."""
    enrolled = Enrollment.objects.filter(user=user.pk, status=Enrollment.Status.ACTIVE)
    trial = TrackerAccess.objects.filter(user=user.pk).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )
    co_leads = TeamCoLeader.objects.filter(user=user.pk)
    return Q(Exists(enrolled)) | Q(Exists(trial)) | Q(Exists(co_leads))


def teams_for_user(user) -> QuerySet[Team]:
    """Teams the user leads or co-leads: the only teams they may see."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(Q(leader=user) | Q(co_leaders__user=user)).distinct()


def team_for_user(*, user, team_id: int) -> Team:
    """The team if the user leads or co-leads it; otherwise Http404 (no hint that it exists)."""
    team = teams_for_user(user).select_related("leader").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    return team


def current_month() -> datetime.date:
    return month_start(timezone.localdate())


# --- grids ----------------------------------------------------------------------------------


def _team_member_ids(team: Team) -> QuerySet:
    """A subquery for filters on targets and results: `member__in=` this (not `member__team=`)
    lets the database search the (member, metric, month) index for this team's members instead
    of reading every team's rows for the month."""
    return Member.objects.filter(team=team).values("pk")


def members_in_month(members: list[Member], month: datetime.date) -> list[Member]:
    """Members who can have targets/results in `month`: active and started by the month's end."""
    return [m for m in members if m.active and m.start_month <= month]


@dataclass
class MonthGrid:
    team: Team
    month: datetime.date
    members: list[Member]
    metrics: list[Metric]
    values: dict[tuple[int, int], Decimal]
    previous: dict[tuple[int, int], Decimal]
    targets: dict[tuple[int, int], Decimal]
    totals: dict[int, Decimal]


def month_grid(*, team: Team, month: datetime.date, kind: str) -> MonthGrid:
    """Targets ('targets') or results ('results') of every active member and metric for a month,
    with last month's values (for "copy last month") and, for results, the targets. 3-4 queries."""
    model = Target if kind == "targets" else Result
    metrics = list(team.metrics.filter(archived=False))
    members = members_in_month(list(team.members.all()), month)
    previous_month = add_months(month, -1)
    values: dict[tuple[int, int], Decimal] = {}
    previous: dict[tuple[int, int], Decimal] = {}
    for member_id, metric_id, row_month, value in model.objects.filter(
        member__in=_team_member_ids(team), month__in=[month, previous_month]
    ).values_list("member_id", "metric_id", "month", "value"):
        (values if row_month == month else previous)[(member_id, metric_id)] = value
    targets = values
    if kind == "results":
        targets = {
            (m, k): v
            for m, k, v in Target.objects.filter(member__in=_team_member_ids(team), month=month).values_list(
                "member_id", "metric_id", "value"
            )
        }
    member_ids = {m.pk for m in members}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (member_id, metric_id), value in values.items():
        if member_id in member_ids:
            totals[metric_id] += value
    return MonthGrid(team, month, members, metrics, values, previous, targets, dict(totals))


# --- scores and rankings --------------------------------------------------------------------


@dataclass
class MetricCell:
    metric: Metric
    target: Decimal | None = None
    result: Decimal | None = None
    attainment: Decimal | None = None
    rank: int | None = None

    @cached_property
    def percent(self) -> int | None:
        return as_percent(self.attainment)


@dataclass
class RankingRow:
    member: Member
    cells: list[MetricCell]
    overall: Decimal | None = None
    rank: int | None = None
    previous_rank: int | None = None
    previous_overall: Decimal | None = None
    history: list[Decimal | None] = field(default_factory=list)  # overall by month, oldest first

    @cached_property
    def percent(self) -> int | None:
        return as_percent(self.overall)

    @property
    def rank_change(self) -> int | None:
        """Places gained since last month (positive = moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def progress(self) -> int | None:
        """Change in overall attainment since last month, in percentage points."""
        if self.overall is None or self.previous_overall is None:
            return None
        return as_percent(self.overall) - as_percent(self.previous_overall)

    @property
    def is_personal_best(self) -> bool:
        earlier = [h for h in self.history[:-1] if h is not None]
        return self.overall is not None and len(earlier) >= 2 and self.overall > max(earlier)


@dataclass
class Board:
    team: Team
    month: datetime.date
    months: list[datetime.date]
    metrics: list[Metric]
    rows: list[RankingRow]  # sorted by overall rank, unranked last
    metric_rankings: list[tuple[Metric, list[tuple[int, Member, MetricCell]]]]
    team_history: list[Decimal | None]  # mean overall attainment by month

    @property
    def ranked_rows(self) -> list[RankingRow]:
        return [r for r in self.rows if r.rank is not None]

    @property
    def top_half(self) -> list[RankingRow]:
        ranked = self.ranked_rows
        cutoff = (len(ranked) + 1) // 2
        return [r for r in ranked if r.rank <= cutoff]

    @property
    def team_percent(self) -> int | None:
        return as_percent(self.team_history[-1]) if self.team_history else None


def _scores_for_month(members, metrics, month, targets, results):
    """{member_id: (cells, overall)} for one month. `targets`/`results` are keyed
    (member_id, metric_id, month)."""
    scores = {}
    for member in members:
        cells = []
        for metric in metrics:
            key = (member.pk, metric.pk, month)
            target, result = targets.get(key), results.get(key)
            cells.append(
                MetricCell(metric, target, result, attainment(result, target, higher_is_better=metric.higher_is_better))
            )
        overall = weighted_overall((c.attainment, c.metric.weight) for c in cells)
        scores[member.pk] = (cells, overall)
    return scores


def _values_query(*, team: Team, months: list[datetime.date], metrics: list[Metric]):
    """(kind, member_id, metric_id, month, value) rows of `metrics` for `months`, kind 0 = target,
    1 = result: ONE query (a UNION). Rows are found through the team's members, so the database
    uses the (member, metric, month) unique index and other teams' rows never cost anything."""
    filters = {"member__in": _team_member_ids(team), "metric_id__in": [m.pk for m in metrics], "month__in": months}
    columns = ("kind", "member_id", "metric_id", "month", "value")
    targets_qs = Target.objects.filter(**filters).annotate(kind=Value(0, output_field=IntegerField()))
    results_qs = Result.objects.filter(**filters).annotate(kind=Value(1, output_field=IntegerField()))
    return targets_qs.values_list(*columns).union(results_qs.values_list(*columns), all=True)


def _month_values(*, team: Team, months: list[datetime.date], metrics: list[Metric]) -> dict:
    """{month: {member_id: ({metric_id: target}, {metric_id: result})}}: the shape the board's
    loops read fastest. One query."""
    by_month: dict = {m: {} for m in months}
    for kind, member_id, metric_id, row_month, value in _values_query(team=team, months=months, metrics=metrics):
        pair = by_month[row_month].get(member_id)
        if pair is None:
            pair = by_month[row_month][member_id] = ({}, {})
        pair[kind][metric_id] = value
    return by_month


_NO_VALUES: tuple[dict, dict] = ({}, {})


def _overall(pair: tuple[dict, dict], spec: list[tuple[int, bool, Decimal]]) -> Decimal | None:
    """weighted_overall(attainment(...)) of one member-month, without building cells: the same
    arithmetic in the same order, so it gives exactly the same Decimal."""
    targets, results = pair
    total = weights = Decimal("0")
    for metric_id, higher_is_better, weight in spec:
        value = attainment(results.get(metric_id), targets.get(metric_id), higher_is_better=higher_is_better)
        if value is None:
            continue
        total += value * weight
        weights += weight
    return total / weights if weights else None


def team_board(*, team: Team, month: datetime.date, history: int = 6) -> Board:
    """Everything the rankings, meeting view and meeting PDF show for one month: per-metric and
    overall attainment, competition ranks (1,2,2,4), rank change since last month, each member's
    overall attainment over the last `history` months and the team's. Three queries.

    Per-metric cells are built for `month` only; the other months need just each member's overall
    (last month's for the rank change, the rest for the trend lines)."""
    history = max(history, 2)
    months = month_range(month, history)
    previous_month = months[-2]
    metrics = list(team.metrics.filter(archived=False))
    all_members = list(team.members.all())
    values = _month_values(team=team, months=months, metrics=metrics)
    current_values = values[month]
    members = [m for m in all_members if m.pk in current_values or (m.active and m.start_month <= month)]
    spec = [(metric.pk, metric.higher_is_better, metric.weight) for metric in metrics if metric.weight]

    current: dict[int, tuple[list[MetricCell], Decimal | None]] = {}
    for member in members:
        targets, results = current_values.get(member.pk, _NO_VALUES)
        cells = []
        for metric in metrics:
            target, result = targets.get(metric.pk), results.get(metric.pk)
            cells.append(
                MetricCell(metric, target, result, attainment(result, target, higher_is_better=metric.higher_is_better))
            )
        current[member.pk] = (cells, weighted_overall((c.attainment, c.metric.weight) for c in cells))
    overall_by_month = {month: {pk: overall for pk, (_, overall) in current.items()}}
    for m in months[:-1]:
        month_values = values[m]
        overall_by_month[m] = {member.pk: _overall(month_values.get(member.pk, _NO_VALUES), spec) for member in members}
    overall_ranks = competition_ranks(overall_by_month[month])
    previous = overall_by_month[previous_month]
    previous_ranks = competition_ranks(previous)

    metric_rankings = []
    for index, metric in enumerate(metrics):
        ranks = competition_ranks({pk: cells[index].attainment for pk, (cells, _) in current.items()})
        for pk, (cells, _) in current.items():
            cells[index].rank = ranks[pk]
        ordered = sorted(
            ((ranks[m.pk], m, current[m.pk][0][index]) for m in members if ranks[m.pk] is not None),
            key=lambda t: (t[0], t[1].name),
        )
        metric_rankings.append((metric, ordered))

    rows = []
    for member in members:
        cells, overall = current[member.pk]
        rows.append(
            RankingRow(
                member=member,
                cells=cells,
                overall=overall,
                rank=overall_ranks[member.pk],
                previous_rank=previous_ranks[member.pk],
                previous_overall=previous[member.pk],
                history=[overall_by_month[m][member.pk] for m in months],
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.member.name))

    team_history = []
    for m in months:
        overalls = [o for o in overall_by_month[m].values() if o is not None]
        team_history.append(sum(overalls) / len(overalls) if overalls else None)
    return Board(team, month, months, metrics, rows, metric_rankings, team_history)


# --- dashboard ------------------------------------------------------------------------------


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
    reminder: str | None


def targets_reminder(*, today: datetime.date, communicated_months: set[datetime.date]) -> str | None:
    """A nudge when the coming month's targets are not yet communicated: from REMINDER_DAYS_BEFORE
    days before the month starts, and for the current month until it has been done."""
    this_month = month_start(today)
    next_month = add_months(this_month, 1)
    if (next_month - today).days <= REMINDER_DAYS_BEFORE and next_month not in communicated_months:
        return f"{next_month:%B} starts in {(next_month - today).days} day(s): set and communicate the targets now."
    if this_month not in communicated_months:
        deadline = first_working_day(this_month)
        when = "were due" if today > deadline else "are due"
        return f"Targets for {this_month:%B} {when} on {deadline:%A %-d %B}: communicate them to the team."
    return None


def team_dashboard(*, team: Team, today: datetime.date | None = None) -> TeamDashboard:
    """The team's home: this month's standing, 12-month trend, communication and meeting status,
    and the targets reminder. Six queries (board 4 + 2)."""
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
        reminder=targets_reminder(today=today, communicated_months=set(communications)),
    )


def communication_status(*, team: Team, month: datetime.date):
    """The month's communication (or None) and every acknowledgement row with its member. 2 queries."""
    communication = TargetCommunication.objects.filter(team=team, month=month).first()
    acks = []
    if communication:
        acks = list(communication.acknowledgements.select_related("member").order_by("member__name"))
    return communication, acks


def dashboard_access(user) -> tuple[bool, list[Team]]:
    """May `user` use the tracker, and their teams by name: one query for a leader with teams (the
    access check rides along), two without. Both tracker dashboard panels take this, computed once
    per request (`accounts.dashboard.shared`)."""
    if not user.is_authenticated:
        return False, []
    may_use = Value(True) if user.is_staff else ExpressionWrapper(_may_use_tracker(user), output_field=BooleanField())
    teams = list(
        teams_for_user(user).select_related("consistency_settings").annotate(user_may_use=may_use).order_by("name")
    )
    can_use = teams[0].user_may_use if teams else user_can_use_tracker(user)
    return (True, teams) if can_use else (False, [])


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


# --- export ---------------------------------------------------------------------------------


def team_history(*, team: Team):
    """Every member, metric, target and result of the team (for export). 4 queries."""
    members = list(team.members.all())
    metrics = list(team.metrics.all())
    targets = {
        (m, k, mo): v
        for m, k, mo, v in Target.objects.filter(member__team=team).values_list(
            "member_id", "metric_id", "month", "value"
        )
    }
    results = {
        (m, k, mo): v
        for m, k, mo, v in Result.objects.filter(member__team=team).values_list(
            "member_id", "metric_id", "month", "value"
        )
    }
    return members, metrics, targets, results

"""Targets and results: a month's grid, many members' and months' values in one query, the export."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, CharField, DateField, DecimalField, F, IntegerField, Value

from ..models import Member, Metric, Result, Target, Team
from ..rules import add_months, members_in_month
from .kept import kept
from .teams import team_member_ids

TARGET, RESULT = 0, 1


def values_for(*, teams, months: list[datetime.date] | None = None, until: datetime.date | None = None, member=None):
    """({(member_id, metric_id, month): target}, {(...): result}) for the teams' unarchived
    metrics, limited to `months` when given (else all history, up to `until`). One query."""
    filters = {"member__team__in": teams, "metric__archived": False}
    if months is not None:
        filters["month__in"] = months
    if until is not None:
        filters["month__lte"] = until
    if member is not None:
        filters["member"] = member
    fields = ("kind", "member_id", "metric_id", "month", "value")
    targets_qs = Target.objects.filter(**filters).annotate(kind=Value(TARGET, IntegerField())).values_list(*fields)
    results_qs = Result.objects.filter(**filters).annotate(kind=Value(RESULT, IntegerField())).values_list(*fields)
    targets: dict = {}
    results: dict = {}
    for kind, member_id, metric_id, month, value in targets_qs.union(results_qs, all=True):
        (targets if kind == TARGET else results)[(member_id, metric_id, month)] = value
    return targets, results


def people_and_values(*, teams, months: list[datetime.date]) -> tuple[dict, dict, dict, dict]:
    """({team_id: its members by name}, {team_id: its unarchived metrics in their order}, targets,
    results) as `values_for(teams=teams, months=months)` gives them: the four tables in one UNION
    query with typed columns. The members and metrics are rebuilt from the columns the consistency
    rules read (name, active, start date; name, unit, direction, weight, order), never saved."""
    int_, dec, day, flag, text = (
        IntegerField(),
        DecimalField(max_digits=14, decimal_places=2),
        DateField(),
        BooleanField(),
        CharField(),
    )
    columns = ("k", "a", "b", "mo", "val", "on", "nm", "un", "o")

    def value_rows(model, kind):
        return (
            model.objects.filter(member__team__in=teams, metric__archived=False, month__in=months)
            .order_by()
            .annotate(
                k=Value(kind, int_),
                a=F("member_id"),
                b=F("metric_id"),
                mo=F("month"),
                val=F("value"),
                on=Value(False, flag),
                nm=Value("", text),
                un=Value("", text),
                o=Value(0, int_),
            )
            .values_list(*columns)
        )

    members = (
        Member.objects.filter(team__in=teams)
        .order_by()
        .annotate(
            k=Value(2, int_),
            a=F("pk"),
            b=F("team_id"),
            mo=F("start_date"),
            val=Value(None, dec),
            on=F("active"),
            nm=F("name"),
            un=Value("", text),
            o=Value(0, int_),
        )
        .values_list(*columns)
    )
    metrics = (
        Metric.objects.filter(team__in=teams, archived=False)
        .order_by()
        .annotate(
            k=Value(3, int_),
            a=F("pk"),
            b=F("team_id"),
            mo=Value(None, day),
            val=F("weight"),
            on=F("higher_is_better"),
            nm=F("name"),
            un=F("unit"),
            o=F("order"),
        )
        .values_list(*columns)
    )
    members_by_team, metrics_by_team = defaultdict(list), defaultdict(list)
    targets: dict = {}
    results: dict = {}
    union = value_rows(Target, TARGET).union(value_rows(Result, RESULT), members, metrics, all=True)
    for kind, a, b, month, value, on, name, unit, order in union.order_by("k", "nm", "a"):
        if kind in (TARGET, RESULT):
            (targets if kind == TARGET else results)[(a, b, month)] = value
        elif kind == 2:  # members: by name, then id, as Member's ordering
            members_by_team[b].append(Member(pk=a, team_id=b, name=name, active=on, start_date=month))
        else:
            metric = Metric(pk=a, team_id=b, name=name, unit=unit, higher_is_better=on, weight=value, order=order)
            metrics_by_team[b].append(metric)
    for found in metrics_by_team.values():
        found.sort(key=lambda metric: (metric.order, metric.pk))  # Metric's ordering
    return members_by_team, metrics_by_team, targets, results


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
    with last month's values (for "copy last month") and, for results, the targets. Kept per team,
    month and tracker data version (selectors/kept.py): no query when kept, else 3-4."""
    grid = kept(
        team=team,
        name="grid",
        parts=(month.isoformat(), kind),
        build=lambda bare: _month_grid(team=bare, month=month, kind=kind),
    )
    grid.team = team
    return grid


def _month_grid(*, team: Team, month: datetime.date, kind: str) -> MonthGrid:
    model = Target if kind == "targets" else Result
    metrics = list(team.metrics.filter(archived=False))
    members = members_in_month(list(team.members.all()), month)
    previous_month = add_months(month, -1)
    values: dict[tuple[int, int], Decimal] = {}
    previous: dict[tuple[int, int], Decimal] = {}
    for member_id, metric_id, row_month, value in model.objects.filter(
        member__in=team_member_ids(team), month__in=[month, previous_month]
    ).values_list("member_id", "metric_id", "month", "value"):
        (values if row_month == month else previous)[(member_id, metric_id)] = value
    targets = values
    if kind == "results":
        targets = {
            (m, k): v
            for m, k, v in Target.objects.filter(member__in=team_member_ids(team), month=month).values_list(
                "member_id", "metric_id", "value"
            )
        }
    member_ids = {m.pk for m in members}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (member_id, metric_id), value in values.items():
        if member_id in member_ids:
            totals[metric_id] += value
    return MonthGrid(team, month, members, metrics, values, previous, targets, dict(totals))


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

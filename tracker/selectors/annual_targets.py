"""The preview of annual targets split by month: for one metric and the team's year, each active
member's twelve months as they are and as they will be (tracker.rules.annual). Two queries: the
members, and the metric's stored targets for the year."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Member, Metric, SeasonalityProfile, Target, Team
from ..rules.annual import PlannedMonth, year_plan
from ..rules.periods import adds_up, fiscal_year_months, profile_weights, year_start

Seen = dict[tuple[int, datetime.date], Decimal | None]  # (member_id, month) -> target when previewed


@dataclass
class MemberYear:
    member: Member
    annual: Decimal | None
    months: list[PlannedMonth] = field(default_factory=list)
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return sum((p.value for p in self.months if p.value is not None), Decimal("0"))


@dataclass
class AnnualPreview:
    team: Team
    metric: Metric
    months: list[datetime.date]
    rows: list[MemberYear]
    seen: Seen
    sums: bool

    @property
    def problems(self) -> list[str]:
        return [f"{row.member.name}: {row.problem}" for row in self.rows if row.problem]

    @property
    def writes(self) -> int:
        return sum(1 for row in self.rows for p in row.months if p.writes)


def year_first_months(*, team: Team, today: datetime.date) -> list[datetime.date]:
    """The first months of last, this and next year in the team's year (a fiscal year may start
    in any month)."""
    this = year_start(today.replace(day=1), starts_in=team.year_starts_in)
    return [this.replace(year=this.year + n) for n in (-1, 0, 1)]


def stored_targets(*, metric: Metric, months: list[datetime.date]) -> Seen:
    """{(member_id, month): value} of the metric's targets in `months`. One query."""
    rows = Target.objects.filter(metric=metric, month__in=months).values_list("member_id", "month", "value")
    return {(member_id, month): value for member_id, month, value in rows}


def annual_preview(
    *,
    team: Team,
    metric: Metric,
    first_month: datetime.date,
    annuals: dict[int, Decimal],
    profile: SeasonalityProfile | None,
    replace: bool,
    seen: Seen | None = None,
) -> AnnualPreview:
    """Each active member with an annual figure in `annuals` (member_id -> value), their year's
    months as planned. `seen` replaces the stored targets (an apply re-plans from what its preview
    showed, so the write can tell what changed since). A member whose plan cannot add up carries
    a `problem` and no months."""
    months = fiscal_year_months(first_month)
    if seen is None:
        seen = stored_targets(metric=metric, months=months)
    percents = None if profile is None else [Decimal(p) for p in profile.percents]
    weights = profile_weights(months, percents)
    sums = adds_up(unit=metric.unit, higher_is_better=metric.higher_is_better)
    rows = []
    for member in team.members.filter(active=True):
        annual = annuals.get(member.pk)
        row = MemberYear(member, annual)
        rows.append(row)
        if annual is None:
            continue
        stored = [seen.get((member.pk, m)) for m in months]
        on_team = [member.start_month <= m for m in months]
        try:
            row.months = year_plan(
                annual=annual, weights=weights, stored=stored, on_team=on_team, replace=replace, sums=sums
            )
        except ValueError as exc:
            row.problem = str(exc)
    return AnnualPreview(team, metric, months, rows, seen, sums)

"""The rankings over a quarter or the year to date: each member's targets and results over the
period (added up or averaged as the metric's nature says, tracker.rules.periods), percent of
target, the weighted overall and shared ranks (1, 2, 2, 4). Three queries whatever the period's
length or the team's size: metrics, members, and targets with results in one UNION.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Member, Metric, Team
from ..rules import as_percent, attainment, competition_ranks, weighted_overall
from ..rules.periods import PERIODS, QUARTER, adds_up, combine, period_months, quarter_number
from .kept import kept
from .rankings import _month_values


@dataclass
class PeriodCell:
    metric: Metric
    target: Decimal | None
    result: Decimal | None
    months: int  # how many months had both a target and a result
    attainment: Decimal | None
    sums: bool
    rank: int | None = None

    @property
    def percent(self) -> int | None:
        return as_percent(self.attainment)


@dataclass
class PeriodRow:
    member: Member
    cells: list[PeriodCell]
    overall: Decimal | None
    rank: int | None = None

    @property
    def percent(self) -> int | None:
        return as_percent(self.overall)


@dataclass
class PeriodBoard:
    team: Team
    period: str
    month: datetime.date
    months: list[datetime.date]
    metrics: list[Metric]
    rows: list[PeriodRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        first, last = self.months[0], self.months[-1]
        span = f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"
        if self.period == QUARTER:
            return f"Q{quarter_number(last, starts_in=self.team.year_starts_in)}: {span}"
        return f"{PERIODS[self.period]}: {span}"


def period_board(*, team: Team, month: datetime.date, period: str) -> PeriodBoard:
    """The period board (`_period_board`), kept per team, month, period and tracker data version
    (selectors/kept.py): no query when kept, else three."""
    board = kept(
        team=team,
        name="period",
        parts=(month.isoformat(), period),
        build=lambda bare: _period_board(team=bare, month=month, period=period),
    )
    board.team = team
    return board


def _period_board(*, team: Team, month: datetime.date, period: str) -> PeriodBoard:
    """The period board for `period` (quarter or year to date) ending with `month`, in the team's
    year (`Team.year_starts_in`). Members shown: those with a value in the period, plus active
    members who had started by its last month. Three queries."""
    months = period_months(month, period, starts_in=team.year_starts_in)
    metrics = list(team.metrics.filter(archived=False))
    all_members = list(team.members.all())
    values = _month_values(team=team, months=months, metrics=metrics)
    present = {pk for by_member in values.values() for pk in by_member}
    members = [m for m in all_members if m.pk in present or (m.active and m.start_month <= months[-1])]
    board = PeriodBoard(team, period, month, months, metrics)
    empty = ({}, {})
    for member in members:
        cells = []
        for metric in metrics:
            pairs = []
            for m in months:
                targets, results = values[m].get(member.pk, empty)
                pairs.append((targets.get(metric.pk), results.get(metric.pk)))
            sums = adds_up(unit=metric.unit, higher_is_better=metric.higher_is_better)
            target, result, count = combine(pairs, sums=sums)
            ratio = attainment(result, target, higher_is_better=metric.higher_is_better)
            cells.append(PeriodCell(metric, target, result, count, ratio, sums))
        overall = weighted_overall((c.attainment, c.metric.weight) for c in cells)
        board.rows.append(PeriodRow(member, cells, overall))
    overall_ranks = competition_ranks({row.member.pk: row.overall for row in board.rows})
    for row in board.rows:
        row.rank = overall_ranks[row.member.pk]
    for index in range(len(metrics)):
        ranks = competition_ranks({row.member.pk: row.cells[index].attainment for row in board.rows})
        for row in board.rows:
            row.cells[index].rank = ranks[row.member.pk]
    board.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.member.name))
    return board

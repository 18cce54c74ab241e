"""Each member's per-metric cells and overall score for a month, and the shapes the rankings use.
Pure: works on already-fetched targets and results, keyed (member_id, metric_id, month).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from .attainment import as_percent, attainment, weighted_overall

if TYPE_CHECKING:  # for annotations only: this module never touches the database
    from tracker.models import Member, Metric, Team


def members_in_month(members: list[Member], month: datetime.date) -> list[Member]:
    """Members who can have targets/results in `month`: active and started by the month's end."""
    return [m for m in members if m.active and m.start_month <= month]


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


def scores_for_month(members, metrics, month, targets, results):
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


PERSONAL_BEST_HISTORY = 3  # earlier months with a result on the metric before a best counts


def is_personal_best(
    value: Decimal | None,
    *,
    highest: Decimal | None,
    lowest: Decimal | None,
    months_before: int,
    higher_is_better: bool = True,
) -> bool:
    """The one definition of a personal best (celebrations, meeting view, PDF): a member's result
    on a metric is better than every earlier month's result on that metric (higher, or lower for a
    lower-is-better metric), after at least PERSONAL_BEST_HISTORY earlier months with a result.
    It compares results, not attainment, so a lowered target never makes a best."""
    if value is None or months_before < PERSONAL_BEST_HISTORY:
        return False
    return value > highest if higher_is_better else value < lowest


NO_VALUES: tuple[dict, dict] = ({}, {})


def pair_overall(pair: tuple[dict, dict], spec: list[tuple[int, bool, Decimal]]) -> Decimal | None:
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

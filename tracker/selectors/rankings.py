"""Step 2, publish results with rankings: the board behind the rankings page, the meeting view and
the meeting PDF. Fixed queries whatever the team size or history: targets and results come in one
UNION and the arithmetic happens in Python (tracker.rules).
"""

import datetime
from decimal import Decimal

from django.db.models import IntegerField, Value
from django.utils.safestring import SafeString

from ..charts import line_chart, result_bars, sparkline
from ..models import Metric, Result, Target, Team
from ..rules import (
    NO_VALUES,
    Board,
    MetricCell,
    RankingRow,
    add_months,
    attainment,
    competition_ranks,
    is_personal_best,
    month_range,
    pair_overall,
    weighted_overall,
)
from .celebrations import personal_best_records
from .kept import kept
from .teams import team_member_ids


def _values_query(*, team: Team, months: list[datetime.date], metrics: list[Metric]):
    """(kind, member_id, metric_id, month, value) rows of `metrics` for `months`, kind 0 = target,
    1 = result: ONE query (a UNION). Rows are found through the team's members, so the database
    uses the (member, metric, month) unique index and other teams' rows never cost anything."""
    filters = {"member__in": team_member_ids(team), "metric_id__in": [m.pk for m in metrics], "month__in": months}
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


def team_board(*, team: Team, month: datetime.date, history: int = 6) -> Board:
    """The month's board (`_team_board`), kept per team, month and tracker data version
    (selectors/kept.py): no query when kept, else three."""
    board = kept(
        team=team,
        name="board",
        parts=(month.isoformat(), history),
        build=lambda bare: _team_board(team=bare, month=month, history=history),
    )
    board.team = team
    return board


def _team_board(*, team: Team, month: datetime.date, history: int = 6) -> Board:
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
        targets, results = current_values.get(member.pk, NO_VALUES)
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
        overall_by_month[m] = {
            member.pk: pair_overall(month_values.get(member.pk, NO_VALUES), spec) for member in members
        }
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


def _personal_bests(team: Team, month: datetime.date, board: Board, records: dict | None) -> list[tuple]:
    """[(member, cell)] for each personal best of the month (rules.is_personal_best, as the
    celebrations use it). One query, none when the records are given (`meeting_records`)."""
    if records is None:
        records = personal_best_records(team=team, month=month)
    bests = []
    for row in board.rows:
        for cell in row.cells:
            highest, lowest, count = records.get((row.member.pk, cell.metric.pk), (None, None, 0))
            if is_personal_best(
                cell.result,
                highest=highest,
                lowest=lowest,
                months_before=count,
                higher_is_better=cell.metric.higher_is_better,
            ):
                bests.append((row.member, cell))
    return bests


def _metric_bars(team: Team, board: Board) -> list[tuple[Metric, list, SafeString | None]]:
    """(metric, its top ten, their results as bars in the team's number format) for the rankings page."""
    charts = []
    for metric, ranked in board.metric_rankings:
        top = ranked[:10]
        bars = None
        if top:
            bars = result_bars(
                rows=[(rank, member.name, cell.result, cell.percent, cell.attainment) for rank, member, cell in top],
                unit=metric.unit,
                title=f"{metric.name}: top ten by attainment, {board.month:%B %Y}",
                number_format=team.number_format,
                currency=team.currency,
            )
        charts.append((metric, top, bars))
    return charts


def meeting_context(team: Team, month: datetime.date, *, for_pdf: bool = False, records: dict | None = None) -> dict:
    """The meeting page's and the PDF's context. Four queries (the board, the personal bests; three
    with the personal-best `records` given).
    `visible_rows` are the rows the meeting shows, each with its sparkline."""
    board = team_board(team=team, month=month, history=6)
    visible = board.ranked_rows if team.show_full_rankings else board.top_half
    progress = sorted(
        (r for r in board.rows if r.progress is not None), key=lambda r: (-(r.progress or 0), r.member.name)
    )
    spark_size = {"width": 72, "height": 16} if for_pdf else {}  # in the PDF it fits the text line
    spark_size["number_format"] = team.number_format
    sparks = {id(r): sparkline(r.history, label=r.member.name, **spark_size) for r in visible}
    return {
        "team": team,
        "month": month,
        "board": board,
        "visible_rows": [(r, sparks[id(r)]) for r in visible],
        "ranked_count": len(board.ranked_rows),
        "progress": progress,
        "personal_bests": _personal_bests(team, month, board, records),
        "chart": line_chart(
            months=board.months,
            series=[("Team", board.team_history)],
            title=f"{team.name}: attainment by month",
            width=720,
            height=220,
            number_format=team.number_format,
        ),
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "for_pdf": for_pdf,
    }


def rankings_context(team: Team, month: datetime.date) -> dict:
    """The rankings page's context: only what it shows (every row with its sparkline, the top ten
    bars per metric), not the meeting's personal bests, progress or team chart. Three queries."""
    board = team_board(team=team, month=month, history=6)
    spark_size = {"number_format": team.number_format}
    return {
        "team": team,
        "month": month,
        "board": board,
        "rows": [(r, sparkline(r.history, label=r.member.name, **spark_size)) for r in board.rows],
        "metric_bars": _metric_bars(team, board),
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
    }

"""The history of targets and results (per cell, per month, for export), the import pages' rows,
and every "presented" mark and undo of a month."""

import datetime
from decimal import Decimal

from ..models import Member, Metric, PresentationEvent, Result, ResultImport, Team, ValueChange
from ..rules import month_start

HISTORY_PAGE = 500


def named_cells(*, team: Team, cells: list[dict]) -> list[dict]:
    """Cells as stored in an import ({member, metric, month, ...}) with the member's and metric's
    names added ("?" for one removed since). Two queries."""
    members = dict(Member.objects.filter(team=team).values_list("pk", "name"))
    metrics = {m.pk: m for m in Metric.objects.filter(team=team)}
    return [
        {
            **cell,
            "member_name": members.get(cell["member"], "?"),
            "metric_name": metrics[cell["metric"]].name if cell["metric"] in metrics else "?",
            "unit": metrics[cell["metric"]].unit if cell["metric"] in metrics else "count",
        }
        for cell in cells
    ]


def import_preview_rows(*, result_import: ResultImport, limit: int) -> list[dict]:
    """The first `limit` values of an import, named, each with the value stored now beside it
    ("now", None for an empty cell). Three queries."""
    return import_preview(result_import=result_import, limit=limit, kept=[])[0]


def import_preview(*, result_import: ResultImport, limit: int, kept: list[dict]) -> tuple[list[dict], list[dict]]:
    """(`import_preview_rows`, the cells `kept` named as `named_cells` names them): three queries,
    both lists named by the same two (the preview page shows the values an undo kept beside)."""
    cells = result_import.rows[:limit]
    named = named_cells(team=result_import.team, cells=[*cells, *kept])
    rows = named[: len(cells)]
    months = {row["month"] for row in rows}
    stored = {
        (m, k, mo.isoformat()): v
        for m, k, mo, v in Result.objects.filter(member__team=result_import.team, month__in=months).values_list(
            "member_id", "metric_id", "month", "value"
        )
    }
    for row in rows:
        now = stored.get((row["member"], row["metric"], row["month"]))
        row["now"] = now
        row["same"] = now is not None and now == Decimal(row["value"])
    return rows, named[len(cells) :]


def value_changes(
    *,
    team: Team,
    month: datetime.date | None = None,
    member: Member | None = None,
    metric: Metric | None = None,
    kind: str | None = None,
    limit: int | None = HISTORY_PAGE,
):
    """The team's changes to targets and results, newest first, narrowed to a month, a cell
    (member, metric, month, kind), or neither (the export). One query."""
    changes = ValueChange.objects.filter(team=team).select_related("member", "metric", "changed_by")
    if month is not None:
        changes = changes.filter(month=month)
    if member is not None:
        changes = changes.filter(member=member)
    if metric is not None:
        changes = changes.filter(metric=metric)
    if kind is not None:
        changes = changes.filter(kind=kind)
    return list(changes[:limit]) if limit else changes.iterator(chunk_size=2000)


def presentation_history(*, team: Team, month: datetime.date) -> list[PresentationEvent]:
    """Every "marked as presented" and "undone" of the month, oldest first, with who did it. One query."""
    return list(PresentationEvent.objects.filter(team=team, month=month_start(month)).select_related("by"))

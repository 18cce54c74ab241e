"""Results from a CSV upload: previewed, then applied all at once, and undoable as a whole.

Undo is honest: it puts back only the cells that still hold the value the import wrote. A cell
changed since (by hand, another import, a restore) is kept and listed.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User

from ..models import ResultImport, Team, ValueChange
from ..rules import parse_results_csv
from . import cells_sql
from .cells import Cell, cells_write, lock_team, stored_cells


def results_import_preview(*, team: Team, uploaded_by: User, filename: str, data: bytes) -> "ResultImport":
    """Check an uploaded CSV and keep it as a preview. Writes no Result; `problems` lists every
    issue by row and column. Nothing can be applied while problems remain."""
    parsed = parse_results_csv(
        data=data,
        members=list(team.members.all()),
        metrics=list(team.metrics.all()),
        today=timezone.localdate(),
        number_format=team.number_format,
    )
    preview = ResultImport(
        team=team,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        rows=parsed.rows,
        problems=parsed.problems,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter if parsed.encoding else "",
    )
    preview.full_clean()
    preview.save()
    return preview


@transaction.atomic
def results_import_apply(*, result_import: "ResultImport", applied_by: User | None = None) -> dict[str, int]:
    """Write every value of a problem-free preview, all or nothing, set-based; each change goes to
    the history (how="import") with the value it replaced, which undo reads. On PostgreSQL the
    database compares and writes (tracker.services.cells_sql); elsewhere `cells_write` does.
    ValidationError for an import with problems, an empty one, or one already applied.
    Returns {"created", "changed", "removed"} (values equal to the stored ones are not counted)."""
    result_import = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.PREVIEW:
        raise ValidationError("This import has already been applied or undone.")
    if result_import.problems:
        raise ValidationError("Fix the problems in the file and upload it again: nothing was imported.")
    if not result_import.rows:
        raise ValidationError("The file holds no values to import.")
    team = result_import.team
    starts = {
        pk: start.replace(day=1).isoformat()
        for pk, start in team.members.filter(active=True).values_list("pk", "start_date")
    }
    metric_ids = set(team.metrics.values_list("pk", flat=True))
    for row in result_import.rows:  # ISO months compare as dates do
        start = starts.get(row["member"])
        if start is None or row["metric"] not in metric_ids or row["month"] < start:
            raise ValidationError("The team changed since this preview: upload the file again.")
    if connection.vendor == "postgresql":
        lock_team(team=team)
        counts = cells_sql.import_write(
            team_id=team.pk,
            import_id=result_import.pk,
            rows=result_import.rows,
            changed_by_id=applied_by.pk if applied_by is not None else None,
        )
    else:
        writes: dict[Cell, Decimal] = {
            (row["member"], row["metric"], datetime.date.fromisoformat(row["month"])): Decimal(row["value"])
            for row in result_import.rows
        }
        counts = cells_write(
            team=team,
            kind="results",
            writes=writes,
            stored=stored_cells(team=team, kind="results", months={cell[2] for cell in writes}),
            how=ValueChange.How.IMPORT,
            changed_by=applied_by,
            source_import=result_import,
        )
    result_import.status = ResultImport.Status.APPLIED
    result_import.applied_at = timezone.now()
    result_import.save(update_fields=["status", "applied_at"])
    return counts


@dataclass
class UndoPlan:
    """What undoing an import does: `restored` cells still holding the imported value go back to
    their value before the import, `removed` ones the import added are removed, and `kept` lists
    the cells changed since, which undo leaves alone."""

    restored: int = 0
    removed: int = 0
    kept: list[dict] = field(default_factory=list)  # {member, metric, month, imported, now}


def _imported_cells(result_import: ResultImport) -> list[tuple[Cell, Decimal | None, Decimal]]:
    """[(cell, value before, value imported)] for every cell the import changed."""
    changes = ValueChange.objects.filter(source_import=result_import, how=ValueChange.How.IMPORT)
    cells = [
        ((m, k, mo), old, new)
        for m, k, mo, old, new in changes.values_list("member_id", "metric_id", "month", "old_value", "new_value")
    ]
    if cells or not any("previous" in row for row in result_import.rows):
        return cells
    return [  # applied before the history existed: each row kept what it replaced
        (
            (row["member"], row["metric"], datetime.date.fromisoformat(row["month"])),
            None if row["previous"] is None else Decimal(row["previous"]),
            Decimal(row["value"]),
        )
        for row in result_import.rows
        if "previous" in row and (row["previous"] is None or Decimal(row["previous"]) != Decimal(row["value"]))
    ]


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _uses_sql(result_import: ResultImport) -> bool:
    """PostgreSQL, and the import has history rows (imports applied before the history existed
    kept what each row replaced in the row itself: `_imported_cells` reads those)."""
    if connection.vendor != "postgresql":
        return False
    return ValueChange.objects.filter(source_import=result_import, how=ValueChange.How.IMPORT).exists()


def _restore_plan(result_import: ResultImport, stored: dict) -> tuple[dict[Cell, Decimal | None], list[dict]]:
    """({cell: value before the import} for cells still holding the imported value, kept cells)."""
    restore, kept = {}, []
    for cell, before, value in _imported_cells(result_import):
        current = stored.get(cell)
        now = None if current is None else current.value
        if now == value:
            restore[cell] = before
        else:
            kept.append(
                {
                    "member": cell[0],
                    "metric": cell[1],
                    "month": cell[2].isoformat(),
                    "imported": _text(value),
                    "now": None if now is None else _text(now),
                }
            )
    kept.sort(key=lambda k: (k["month"], k["member"], k["metric"]))
    return restore, kept


def _imported_months(result_import: ResultImport) -> set[datetime.date]:
    return {datetime.date.fromisoformat(month) for month in {row["month"] for row in result_import.rows}}


def undo_plan(*, result_import: ResultImport) -> UndoPlan:
    """What undo would restore and what it would keep, judged against the values stored now."""
    if _uses_sql(result_import):
        restored, removed, kept = cells_sql.undo_counts(import_id=result_import.pk)
        return UndoPlan(restored=restored, removed=removed, kept=kept)
    stored = stored_cells(team=result_import.team, kind="results", months=_imported_months(result_import), lock=False)
    restore, kept = _restore_plan(result_import, stored)
    removed = sum(1 for value in restore.values() if value is None)
    return UndoPlan(restored=len(restore) - removed, removed=removed, kept=kept)


@transaction.atomic
def results_import_undo(*, result_import: "ResultImport", undone_by: User | None = None) -> UndoPlan:
    """Undo an applied import: every cell still holding the value the import wrote goes back to
    what it was before (or is removed, if the import added it), set-based. Cells changed since the
    import are kept as they are and listed in the plan returned (and in `undo_kept`). Recorded in
    the history (how="undo")."""
    result_import = ResultImport.objects.select_for_update().defer("rows", "problems").get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.APPLIED:
        raise ValidationError("Only an applied import can be undone.")
    team = result_import.team
    if _uses_sql(result_import):
        lock_team(team=team)
        restored, removed, kept = cells_sql.undo_write(
            team_id=team.pk, import_id=result_import.pk, changed_by_id=undone_by.pk if undone_by is not None else None
        )
        plan = UndoPlan(restored=restored, removed=removed, kept=kept)
    else:
        stored = stored_cells(team=team, kind="results", months=_imported_months(result_import))
        restore, kept = _restore_plan(result_import, stored)
        counts = cells_write(
            team=team,
            kind="results",
            writes=restore,
            stored=stored,
            how=ValueChange.How.UNDO,
            changed_by=undone_by,
            source_import=result_import,
        )
        plan = UndoPlan(restored=counts["changed"], removed=counts["removed"], kept=kept)
    result_import.status = ResultImport.Status.UNDONE
    result_import.undone_at = timezone.now()
    result_import.undo_kept = plan.kept
    result_import.save(update_fields=["status", "undone_at", "undo_kept"])
    return plan

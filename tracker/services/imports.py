"""Results from a CSV upload: previewed, then applied all at once, and undoable as a whole.

Undo is honest: it puts back only the cells that still hold the value the import wrote. A cell
changed since (by hand, another import, a restore) is kept and listed.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import ResultImport, Team, ValueChange
from ..rules import parse_results_csv
from .cells import Cell, cells_write, stored_cells


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
    """Write every value of a problem-free preview, all or nothing, in set-based batches; each
    change goes to the history (how="import") with the value it replaced, which undo reads.
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
    members = {m.pk: m for m in team.members.all()}
    metric_ids = set(team.metrics.values_list("pk", flat=True))
    writes: dict[Cell, Decimal] = {}
    for row in result_import.rows:
        member = members.get(row["member"])
        month = datetime.date.fromisoformat(row["month"])
        if member is None or row["metric"] not in metric_ids or not member.active or month < member.start_month:
            raise ValidationError("The team changed since this preview: upload the file again.")
        writes[(row["member"], row["metric"], month)] = Decimal(row["value"])
    stored = stored_cells(team=team, kind="results", months={cell[2] for cell in writes})
    counts = cells_write(
        team=team,
        kind="results",
        writes=writes,
        stored=stored,
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
    """What undoing an import would do: `restore` maps each cell still holding the imported value
    to the value before the import (None: the import added it, undo removes it); `kept` lists the
    cells changed since, which undo leaves alone."""

    restore: dict[Cell, Decimal | None] = field(default_factory=dict)
    kept: list[dict] = field(default_factory=list)  # {member, metric, month, imported, now}

    @property
    def removed(self) -> int:
        return sum(1 for value in self.restore.values() if value is None)


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


def undo_plan(*, result_import: ResultImport, stored: dict | None = None) -> UndoPlan:
    """What undo would restore and what it would keep, judged against the values stored now."""
    imported = _imported_cells(result_import)
    if stored is None:
        stored = stored_cells(team=result_import.team, kind="results", months={c[0][2] for c in imported}, lock=False)
    plan = UndoPlan()
    for cell, before, value in imported:
        current = stored.get(cell)
        now = None if current is None else current.value
        if now == value:
            plan.restore[cell] = before
        else:
            plan.kept.append(
                {
                    "member": cell[0],
                    "metric": cell[1],
                    "month": cell[2].isoformat(),
                    "imported": _text(value),
                    "now": None if now is None else _text(now),
                }
            )
    return plan


@transaction.atomic
def results_import_undo(*, result_import: "ResultImport", undone_by: User | None = None) -> UndoPlan:
    """Undo an applied import: every cell still holding the value the import wrote goes back to
    what it was before (or is removed, if the import added it), set-based. Cells changed since the
    import are kept as they are and listed in the plan returned (and in `undo_kept`). Recorded in
    the history (how="undo")."""
    result_import = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.APPLIED:
        raise ValidationError("Only an applied import can be undone.")
    imported_months = {datetime.date.fromisoformat(row["month"]) for row in result_import.rows}
    stored = stored_cells(team=result_import.team, kind="results", months=imported_months)
    plan = undo_plan(result_import=result_import, stored=stored)
    cells_write(
        team=result_import.team,
        kind="results",
        writes=plan.restore,
        stored=stored,
        how=ValueChange.How.UNDO,
        changed_by=undone_by,
        source_import=result_import,
    )
    result_import.status = ResultImport.Status.UNDONE
    result_import.undone_at = timezone.now()
    result_import.undo_kept = plan.kept
    result_import.save(update_fields=["status", "undone_at", "undo_kept"])
    return plan

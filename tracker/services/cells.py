"""The one writer of targets and results: set-based, and every change lands in the history.

Grids, imports, undo and restore all describe what they want as {cell: value or None} and call
`cells_write`, which upserts the values in batches (INSERT ... ON CONFLICT DO UPDATE), deletes the
cleared cells by primary key and records one `ValueChange` per cell that really changed.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from accounts.models import User

from ..data_version import bump_data_version
from ..models import Result, ResultImport, Target, Team, ValueChange

BATCH = 5000
Cell = tuple[int, int, datetime.date]  # (member_id, metric_id, month)


class Stored(NamedTuple):
    pk: int
    value: Decimal


def model_for(kind: str):
    """Target for "target(s)", Result for "result(s)"."""
    return Target if kind.startswith("target") else Result


def stored_cells(*, team: Team, kind: str, months, lock: bool = True) -> dict[Cell, Stored]:
    """{cell: (pk, value)} of the team's targets or results in `months`, locked for update."""
    rows = model_for(kind).objects.filter(member__team=team, month__in=list(months))
    if lock:
        rows = rows.select_for_update(of=("self",))
    return {
        (m, k, mo): Stored(pk, v)
        for pk, m, k, mo, v in rows.values_list("pk", "member_id", "metric_id", "month", "value")
    }


def cells_write(
    *,
    team: Team,
    kind: str,
    writes: dict[Cell, Decimal | None],
    stored: dict[Cell, Stored],
    how: str,
    changed_by: User | None,
    source_import: ResultImport | None = None,
) -> dict[str, int]:
    """Write `writes` over `stored` (what the caller read and locked). Cells whose value would not
    change are left alone. Call inside a transaction. Returns {"created", "changed", "removed"}."""
    model = model_for(kind)
    history_kind = ValueChange.Kind.TARGET if model is Target else ValueChange.Kind.RESULT
    upserts, removed, changes = [], [], []
    counts = {"created": 0, "changed": 0, "removed": 0}
    for (member_id, metric_id, month), value in writes.items():
        current = stored.get((member_id, metric_id, month))
        old = None if current is None else current.value
        if value == old:
            continue
        if value is None:
            removed.append(current.pk)
            counts["removed"] += 1
        else:
            # A result remembers the import that wrote it; a hand edit, undo or restore forgets it.
            extra = (
                {"source_import": source_import if how == ValueChange.How.IMPORT else None} if model is Result else {}
            )
            upserts.append(model(member_id=member_id, metric_id=metric_id, month=month, value=value, **extra))
            counts["created" if current is None else "changed"] += 1
        changes.append(
            ValueChange(
                team=team,
                member_id=member_id,
                metric_id=metric_id,
                month=month,
                kind=history_kind,
                old_value=old,
                new_value=value,
                how=how,
                changed_by=changed_by,
                source_import=source_import,
            )
        )
    update_fields = ["value", "source_import"] if model is Result else ["value"]
    for start in range(0, len(upserts), BATCH):
        model.objects.bulk_create(
            upserts[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["member", "metric", "month"],
            update_fields=update_fields,
        )
    for start in range(0, len(removed), BATCH):
        # Like bulk_create, a bulk delete sends no per-row signals (60,000 of them on an undo);
        # the data version is bumped once below. Nothing references a target or result row.
        batch = model.objects.filter(pk__in=removed[start : start + BATCH])
        batch._raw_delete(batch.db)
    ValueChange.objects.bulk_create(changes, batch_size=BATCH)
    if changes:
        bump_data_version()  # bulk writes send no signals: cached summaries must not outlive them
    return counts

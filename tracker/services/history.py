"""Restoring an earlier value of a target or result from its history (itself recorded)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Team, ValueChange
from .cells import cells_write, stored_cells


@transaction.atomic
def value_restore(*, team: Team, change: ValueChange, restored_by: User | None) -> ValueChange:
    """Put a cell back to the value it held after `change` (None: empty). Refused when the cell
    is gone with its member or metric, or when it already holds that value. Recorded in the
    history as how="restore". Returns the new history row."""
    if change.team_id != team.pk:
        raise ValidationError("This change is not from this team.")
    member, metric = change.member, change.metric
    if change.new_value is not None and (not member.active or metric.archived):
        raise ValidationError(f"{member.name} is inactive or {metric.name} is archived: nothing to restore.")
    kind = "targets" if change.kind == ValueChange.Kind.TARGET else "results"
    stored = stored_cells(team=team, kind=kind, months=[change.month])
    cell = (change.member_id, change.metric_id, change.month)
    current = stored.get(cell)
    if (None if current is None else current.value) == change.new_value:
        raise ValidationError("The cell already holds that value.")
    cells_write(
        team=team,
        kind=kind,
        writes={cell: change.new_value},
        stored=stored,
        how=ValueChange.How.RESTORE,
        changed_by=restored_by,
    )
    return ValueChange.objects.filter(
        team=team, member_id=change.member_id, metric_id=change.metric_id, month=change.month, kind=change.kind
    ).first()

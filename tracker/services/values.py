"""Writes for targets and results: a month's grid, all or nothing, and never over newer values."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Member, Metric, Team, ValueChange
from ..rules import month_start, value_problem
from .cells import cells_write, stored_cells

UNKNOWN = object()  # no original travelled with the cell: nothing to compare against


class Conflict(NamedTuple):
    """A cell someone else changed after this form was opened, and this form changed too."""

    member: Member
    metric: Metric
    opened: Decimal | None  # the value when the form was built
    theirs: Decimal | None  # the value stored now
    yours: Decimal | None  # the value this form sent


def _check_cells(*, month: datetime.date, values: dict, members: dict, metrics: dict) -> dict:
    errors: dict[str, list[str]] = {}
    for (member_id, metric_id), value in values.items():
        member, metric = members.get(member_id), metrics.get(metric_id)
        if member is None or metric is None:
            errors.setdefault("__all__", []).append("A value names a member or metric that is not on this team.")
            continue
        if value is None:
            continue
        problem = value_problem(unit=metric.unit, value=value)
        if problem:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(f"{member.name}, {metric.name}: {problem}.")
        if not member.active:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(f"{member.name} is inactive.")
        elif member.start_month > month:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(
                f"{member.name} started in {member.start_date:%B %Y}, after {month:%B %Y}."
            )
    return errors


@transaction.atomic
def month_values_save(
    *,
    team: Team,
    month: datetime.date,
    kind: str,
    values: dict[tuple[int, int], Decimal | None],
    originals: dict[tuple[int, int], Decimal | None] | None = None,
    changed_by: User | None = None,
    how: str = ValueChange.How.GRID,
) -> dict:
    """Save cells of a month's targets (kind='targets') or results (kind='results').

    `values` maps (member_id, metric_id) to a value, or None to clear that cell; a cell that is not
    in `values` is never touched. `originals` holds the values the form was built from: a cell
    whose stored value changed since is not overwritten. If this save left it as it was opened,
    the newer value simply stays; if this save changed it too, it is returned in "conflicts" for
    the leader to decide. Every written cell is checked first (non-negative, 1-5 averages,
    percentages to 100, two decimals, active member who had started by that month); any problem
    raises ValidationError and nothing is saved. Returns {"created", "changed", "removed",
    "kept_newer", "conflicts"}. Fixed queries.
    """
    month = month_start(month)
    originals = originals or {}
    members = {m.pk: m for m in team.members.all()}
    metrics = {m.pk: m for m in team.metrics.all()}
    unknown = {k: v for k, v in values.items() if k[0] not in members or k[1] not in metrics}
    if unknown:
        raise ValidationError(_check_cells(month=month, values=unknown, members=members, metrics=metrics))
    stored = stored_cells(team=team, kind=kind, months=[month])
    writes, conflicts, kept_newer = {}, [], 0
    for (member_id, metric_id), value in values.items():
        current = stored.get((member_id, metric_id, month))
        theirs = None if current is None else current.value
        opened = originals.get((member_id, metric_id), UNKNOWN)
        if value == theirs:
            continue
        if opened is UNKNOWN or opened == theirs:
            writes[(member_id, metric_id)] = value
        elif value == opened:
            kept_newer += 1  # untouched here, changed elsewhere: the newer value stays
        else:
            conflicts.append(Conflict(members[member_id], metrics[metric_id], opened, theirs, value))
    errors = _check_cells(month=month, values=writes, members=members, metrics=metrics)
    if errors:
        raise ValidationError(errors)
    counts = cells_write(
        team=team,
        kind=kind,
        writes={(m, k, month): v for (m, k), v in writes.items()},
        stored=stored,
        how=how,
        changed_by=changed_by,
    )
    return {**counts, "kept_newer": kept_newer, "conflicts": conflicts}

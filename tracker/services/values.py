"""Writes for targets and results: a whole month's grid, all or nothing."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ..data_version import bump_data_version
from ..models import Result, Target, Team
from ..rules import month_start, value_problem


def _check_cells(*, team: Team, month: datetime.date, values: dict, members: dict, metrics: dict) -> dict:
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
    *, team: Team, month: datetime.date, kind: str, values: dict[tuple[int, int], Decimal | None]
) -> dict[str, int]:
    """Save a whole grid of targets (kind='targets') or results (kind='results') for one month.

    `values` maps (member_id, metric_id) to a value, or None to clear the cell. Every cell is
    checked first (non-negative, 1-5 averages, percentages to 100, active member who had started
    by that month); any problem raises ValidationError and nothing is saved. Fixed queries.
    """
    model = Target if kind == "targets" else Result
    month = month_start(month)
    members = {m.pk: m for m in team.members.all()}
    metrics = {m.pk: m for m in team.metrics.all()}
    errors = _check_cells(team=team, month=month, values=values, members=members, metrics=metrics)
    if errors:
        raise ValidationError(errors)
    existing = {
        (row.member_id, row.metric_id): row
        for row in model.objects.select_for_update().filter(member__team=team, month=month)
    }
    created, changed, removed = [], [], []
    for key, value in values.items():
        row = existing.get(key)
        if value is None:
            if row is not None:
                removed.append(row.pk)
        elif row is None:
            created.append(model(member_id=key[0], metric_id=key[1], month=month, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    for row in created:
        row.full_clean(exclude=["member", "metric"], validate_unique=False, validate_constraints=False)
    model.objects.bulk_create(created)
    model.objects.bulk_update(changed, ["value"])
    model.objects.filter(pk__in=removed).delete()
    bump_data_version()  # bulk writes send no signals: cached summaries must not outlive them
    return {"created": len(created), "changed": len(changed), "removed": len(removed)}

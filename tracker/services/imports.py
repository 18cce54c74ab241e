"""Results from a CSV upload: previewed, then applied all at once, and undoable as a whole."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import Result, ResultImport, Team
from ..rules import parse_results_csv


def results_import_preview(*, team: Team, uploaded_by: User, filename: str, data: bytes) -> "ResultImport":
    """Check an uploaded CSV and keep it as a preview. Writes no Result; `problems` lists every
    issue by row and column. Nothing can be applied while problems remain."""
    parsed = parse_results_csv(
        data=data, members=list(team.members.all()), metrics=list(team.metrics.all()), today=timezone.localdate()
    )
    preview = ResultImport(
        team=team, uploaded_by=uploaded_by, filename=filename[:255], rows=parsed.rows, problems=parsed.problems
    )
    preview.full_clean()
    preview.save()
    return preview


@transaction.atomic
def results_import_apply(*, result_import: "ResultImport") -> "ResultImport":
    """Write every value of a problem-free preview, all or nothing, remembering what each value
    replaced so the import can be undone. ValidationError for an import with problems, an empty
    one, or one already applied."""
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
    months = {r["month"] for r in result_import.rows}
    existing = {
        (r.member_id, r.metric_id, r.month.isoformat()): r
        for r in Result.objects.select_for_update().filter(member__team=team, month__in=months)
    }
    created, changed = [], []
    for row in result_import.rows:
        member = members.get(row["member"])
        month = datetime.date.fromisoformat(row["month"])
        if member is None or row["metric"] not in metric_ids or not member.active or month < member.start_month:
            raise ValidationError("The team changed since this preview: upload the file again.")
        value = Decimal(row["value"])
        current = existing.get((row["member"], row["metric"], row["month"]))
        row["previous"] = None if current is None else str(current.value)
        if current is None:
            created.append(
                Result(
                    member_id=row["member"],
                    metric_id=row["metric"],
                    month=month,
                    value=value,
                    source_import=result_import,
                )
            )
        else:
            current.value, current.source_import = value, result_import
            changed.append(current)
    Result.objects.bulk_create(created)
    Result.objects.bulk_update(changed, ["value", "source_import"])
    result_import.status = ResultImport.Status.APPLIED
    result_import.applied_at = timezone.now()
    result_import.save(update_fields=["rows", "status", "applied_at"])
    return result_import


@transaction.atomic
def results_import_undo(*, result_import: "ResultImport") -> "ResultImport":
    """Put every value the import wrote back as it was (removing values it added), all at once."""
    result_import = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.APPLIED:
        raise ValidationError("Only an applied import can be undone.")
    team = result_import.team
    months = {r["month"] for r in result_import.rows}
    existing = {
        (r.member_id, r.metric_id, r.month.isoformat()): r
        for r in Result.objects.select_for_update().filter(member__team=team, month__in=months)
    }
    restored, removed = [], []
    for row in result_import.rows:
        current = existing.get((row["member"], row["metric"], row["month"]))
        if current is None:
            continue
        if row.get("previous") is None:
            removed.append(current.pk)
        else:
            current.value, current.source_import = Decimal(row["previous"]), None
            restored.append(current)
    Result.objects.bulk_update(restored, ["value", "source_import"])
    Result.objects.filter(pk__in=removed).delete()
    result_import.status = ResultImport.Status.UNDONE
    result_import.undone_at = timezone.now()
    result_import.save(update_fields=["status", "undone_at"])
    return result_import

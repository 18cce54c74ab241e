from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ImportForm
from ..models import ResultImport
from ..rules import MAX_BYTES
from .access import tracker_view


@tracker_view
def import_upload(request, team):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        preview = services.results_import_preview(team=team, uploaded_by=request.user, filename=upload.name, data=data)
        return redirect("tracker:import_preview", team_id=team.pk, import_id=preview.pk)
    imports = list(team.imports.select_related("uploaded_by")[:20])
    return render(request, "tracker/import_upload.html", {"team": team, "form": form, "imports": imports})


@tracker_view
def import_preview(request, team, import_id: int):
    result_import = get_object_or_404(team.imports, pk=import_id)
    rows, kept = selectors.import_preview(
        result_import=result_import, limit=200, kept=result_import.undo_kept[:200]
    )  # one naming of both lists (members and metrics read once)
    return render(
        request,
        "tracker/import_preview.html",
        {
            "team": team,
            "result_import": result_import,
            "rows": rows,
            "row_total": len(result_import.rows),
            "kept": kept,
        },
    )


@tracker_view
@require_POST
def import_apply(request, team, import_id: int):
    result_import = get_object_or_404(team.imports, pk=import_id)
    try:
        counts = services.results_import_apply(result_import=result_import, applied_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Imported {len(result_import.rows)} values ({counts['created']} added, {counts['changed']} changed, "
            f"{len(result_import.rows) - counts['created'] - counts['changed']} already as in the file). "
            "You can undo this import as a whole.",
        )
    return redirect("tracker:import_preview", team_id=team.pk, import_id=result_import.pk)


def _undone_message(plan) -> str:
    text = (
        f"Import undone: {plan.restored} value(s) put back as they were before it, {plan.removed} it had added removed."
    )
    if plan.kept:
        return text + f" {len(plan.kept)} value(s) changed since the import were kept as they are: listed below."
    return text + " No value had changed since the import."


@tracker_view
def import_undo(request, team, import_id: int):
    """GET: what undo would do (restore, remove, keep), and a button to confirm. POST: undo."""
    result_import = get_object_or_404(team.imports, pk=import_id)
    if result_import.status != ResultImport.Status.APPLIED:
        messages.error(request, "Only an applied import can be undone.")
        return redirect("tracker:import_preview", team_id=team.pk, import_id=result_import.pk)
    if request.method == "POST":
        try:
            plan = services.results_import_undo(result_import=result_import, undone_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _undone_message(plan))
        return redirect("tracker:import_preview", team_id=team.pk, import_id=result_import.pk)
    plan = services.undo_plan(result_import=result_import)
    return render(
        request,
        "tracker/import_undo.html",
        {
            "team": team,
            "result_import": result_import,
            "restored": plan.restored,
            "removed": plan.removed,
            "kept": selectors.named_cells(team=team, cells=plan.kept[:200]),
            "kept_total": len(plan.kept),
        },
    )

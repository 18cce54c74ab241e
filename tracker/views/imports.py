from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..forms import ImportForm
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
    members = {m.pk: m for m in team.members.all()}
    metrics = {m.pk: m for m in team.metrics.all()}
    rows = [
        {
            **r,
            "member_name": members[r["member"]].name if r["member"] in members else "?",
            "metric_name": metrics[r["metric"]].name if r["metric"] in metrics else "?",
        }
        for r in result_import.rows[:200]
    ]
    return render(
        request,
        "tracker/import_preview.html",
        {"team": team, "result_import": result_import, "rows": rows, "row_total": len(result_import.rows)},
    )


@tracker_view
@require_POST
def import_apply(request, team, import_id: int):
    result_import = get_object_or_404(team.imports, pk=import_id)
    try:
        services.results_import_apply(result_import=result_import)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Imported {len(result_import.rows)} values. You can undo this import as a whole.")
    return redirect("tracker:import_preview", team_id=team.pk, import_id=result_import.pk)


@tracker_view
@require_POST
def import_undo(request, team, import_id: int):
    result_import = get_object_or_404(team.imports, pk=import_id)
    try:
        services.results_import_undo(result_import=result_import)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Import undone: every value is back as it was.")
    return redirect("tracker:import_preview", team_id=team.pk, import_id=result_import.pk)

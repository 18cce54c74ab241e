"""The history of targets and results: per month, per cell, as CSV; restoring an earlier value."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from home.core.spreadsheet import safe_cell, safe_writer

from .. import selectors, services
from ..models import ValueChange
from .access import tracker_view
from .team_body import team_body

BODY = "tracker/bodies/history.html"
CSV_HEADER = ["changed_at", "changed_by", "how", "kind", "month", "member", "metric", "old_value", "new_value"]


@tracker_view
def history_month(request, team, month):
    """Every change in the month, rendered once per version of the team's data and day. The one
    thing shown from outside the team's rows is the address of the account that made a change: a
    new address shows from the team's next write or the next day."""

    def context() -> dict:
        changes = selectors.value_changes(team=team, month=month)
        return {"team": team, "month": month, "changes": changes, "cell": None, "limit": selectors.HISTORY_PAGE}

    body = team_body(
        request, team=team, name=f"history:{month:%Y-%m}", day=timezone.localdate(), template=BODY, context=context
    )
    return render(request, "tracker/history.html", {"team": team, "month": month, "cell": None, "body": body})


@tracker_view
def history_cell(request, team, month, member_id: int, metric_id: int, kind: str):
    if kind not in ValueChange.Kind.values:
        return redirect("tracker:history", team_id=team.pk, month=month)
    member = get_object_or_404(team.members, pk=member_id)
    metric = get_object_or_404(team.metrics, pk=metric_id)
    changes = selectors.value_changes(team=team, month=month, member=member, metric=metric, kind=kind)
    cell = {"member": member, "metric": metric, "kind": ValueChange.Kind(kind).label}
    context = {"team": team, "month": month, "changes": changes, "cell": cell, "limit": selectors.HISTORY_PAGE}
    body = render_to_string(BODY, context, request=request)
    return render(request, "tracker/history.html", {"team": team, "month": month, "cell": cell, "body": body})


class _Echo:
    def write(self, value):
        return value


@tracker_view
def history_csv(request, team):
    """Every change of the team's targets and results, oldest first, streamed."""
    changes = selectors.value_changes(team=team, limit=None)
    writer = safe_writer(_Echo())

    # The leader's zone, named in the header: taken now, since the rows are written after the
    # middleware has put the thread's zone back.
    zone = timezone.get_current_timezone()

    def rows():
        yield "\ufeff" + writer.writerow([f"changed_at ({zone.key})", *CSV_HEADER[1:]])
        for change in changes:
            yield writer.writerow(
                [
                    safe_cell(c)
                    for c in (
                        timezone.localtime(change.changed_at, zone).isoformat(timespec="seconds"),
                        change.changed_by.email if change.changed_by else "",
                        change.how,
                        change.kind,
                        f"{change.month:%Y-%m}",
                        change.member.name,
                        change.metric.name,
                        "" if change.old_value is None else change.old_value,
                        "" if change.new_value is None else change.new_value,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(team.name) or "team"}-changes.csv"'
    return response


@tracker_view
@require_POST
def history_restore(request, team, change_id: int):
    change = get_object_or_404(ValueChange.objects.select_related("member", "metric"), team=team, pk=change_id)
    try:
        services.value_restore(team=team, change=change, restored_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        value = "empty" if change.new_value is None else team.show(change.new_value, change.metric.unit)
        messages.success(
            request,
            f"{change.member.name}'s {change.metric.name} {change.get_kind_display().lower()} for "
            f"{change.month:%B %Y} is back to {value}. The restore is in the history too.",
        )
    return redirect(
        "tracker:history_cell",
        team_id=team.pk,
        month=change.month,
        member_id=change.member_id,
        metric_id=change.metric_id,
        kind=change.kind,
    )

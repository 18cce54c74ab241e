import json
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from home.core.spreadsheet import safe_cell, safe_writer

from .. import selectors
from ..rules import as_percent, attainment
from ..rules.numbers import format_number
from .access import tracker_view


def _history_rows(team, history=None):
    """Each (member, metric, month) with its target, result and attainment. `history`:
    `selectors.team_history(team=team)` when the caller has it already (else read here)."""
    members, metrics, targets, results = history or selectors.team_history(team=team)
    metric_by_id = {m.pk: m for m in metrics}
    keys = sorted(set(targets) | set(results), key=lambda k: (k[2], k[0], metric_by_id[k[1]].order, k[1]))
    member_by_id = {m.pk: m for m in members}
    for member_id, metric_id, month in keys:
        metric = metric_by_id[metric_id]
        target, result = targets.get((member_id, metric_id, month)), results.get((member_id, metric_id, month))
        yield (
            member_by_id[member_id],
            metric,
            month,
            target,
            result,
            attainment(result, target, higher_is_better=metric.higher_is_better),
        )


@tracker_view
def export_csv(request, team):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(team.name) or "team"}-history.csv"'
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = safe_writer(response)
    writer.writerow(
        ["month", "member", "email", "role", "active", "metric", "unit", "target", "result", "attainment_percent"]
    )
    for member, metric, month, target, result, ratio in _history_rows(team):
        writer.writerow(
            [
                safe_cell(c)
                for c in (
                    f"{month:%Y-%m}",
                    member.name,
                    member.email,
                    member.role,
                    member.active,
                    metric.name,
                    metric.unit,
                    target,
                    result,
                    as_percent(ratio),
                )
            ]
        )
    return response


@tracker_view
def export_json(request, team):
    history = selectors.team_history(team=team)  # read once: the rows below are built from it too
    members, metrics = history[0], history[1]
    # For programs, not people: values stay exact decimal strings with a point ("12500.50") whatever
    # the team's format, so no reader can take "12.500,5" for twelve and a half. How the team writes
    # numbers travels alongside once, from the one formatter, for whoever presents them.
    payload = {
        "team": team.name,
        "number_format": team.number_format,
        "number_example": format_number(Decimal("1234.56"), number_format=team.number_format, places=2),
        "currency": team.currency,
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "start_date": m.start_date.isoformat(),
                "active": m.active,
            }
            for m in members
        ],
        "metrics": [
            {
                "id": m.pk,
                "name": m.name,
                "unit": m.unit,
                "higher_is_better": m.higher_is_better,
                "weight": str(m.weight),
                "archived": m.archived,
            }
            for m in metrics
        ],
        "values": [
            {
                "member": member.pk,
                "metric": metric.pk,
                "month": f"{month:%Y-%m}",
                "target": None if target is None else str(target),
                "result": None if result is None else str(result),
            }
            for member, metric, month, target, result, _ in _history_rows(team, history)
        ],
    }
    response = HttpResponse(json.dumps(payload, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slugify(team.name) or "team"}-history.json"'
    return response

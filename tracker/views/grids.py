from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import selectors, services
from ..forms import GridForm, cell_name, format_value, original_name
from ..rules import add_months, parse_decimal
from ..rules.numbers import format_input, format_number
from .access import posted_id, tracker_view
from .cached import team_fragment
from .grid_html import apply_inputs_html, row_html
from .warm import warm_after_write


def _totals(team, form: GridForm, values: dict) -> list[str]:
    """Team total per metric of the stored `values` (never the unsaved typed cells of a refused
    save): a sum for money and counts, the mean for averages and percentages."""
    totals = []
    for metric in form.metrics:
        column = [values.get((m.pk, metric.pk)) for m in form.members]
        column = [v for v in column if v is not None]
        if not column:
            totals.append("")
        elif metric.unit in ("money", "count"):
            totals.append(team.show(sum(column), metric.unit))
        else:
            mean = format_number(sum(column) / len(column), number_format=team.number_format, places=1)
            totals.append(f"{mean} avg")
    return totals


def _cell_text(team, values: dict) -> dict:
    """Stored values as the grid's inputs show them, by the one formatter: as the team writes them
    (`12.500,5`), which the grid reads back to the same value."""
    return {
        cell_name(m, k): format_input(v, number_format=team.number_format)
        for (m, k), v in values.items()
        if v is not None
    }


def _conflict_form(team, grid, conflicts) -> tuple[GridForm, dict]:
    """The grid as stored now, with this leader's values in the cells that conflict: saving it
    again takes theirs over the newer values, reloading the page keeps the newer ones."""
    values = dict(grid.values)
    for conflict in conflicts:
        key = (conflict.member.pk, conflict.metric.pk)
        if conflict.yours is None:
            values.pop(key, None)
        else:
            values[key] = conflict.yours
    form = GridForm(
        members=grid.members,
        metrics=grid.metrics,
        initial=_cell_text(team, values),
        originals={original_name(m, k): format_value(v) for (m, k), v in grid.values.items()},
        number_format=team.number_format,
    )
    form.conflicts = {cell_name(c.member.pk, c.metric.pk): c for c in conflicts}
    return form, values


def _saved_message(kind: str, month, counts: dict) -> str:
    text = (
        f"{kind.title()} for {month:%B %Y} saved ({counts['created']} added, {counts['changed']} changed, "
        f"{counts['removed']} cleared)."
    )
    if counts["kept_newer"]:
        text += f" {counts['kept_newer']} value(s) changed elsewhere since you opened the page were kept."
    return text


def _save(request, form: GridForm, *, team, month, kind: str) -> dict | None:
    """Save a valid grid (or one member's card) through the one service; its counts, or None with
    the service's refusals put on the form's fields."""
    try:
        return services.month_values_save(
            team=team,
            month=month,
            kind=kind,
            values=form.cell_values(),
            originals=form.original_values(),
            changed_by=request.user,
        )
    except ValidationError as exc:
        for key, problems in exc.message_dict.items():
            field = None if key == "__all__" else f"c_{key}"
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return None


def _grid(request, team, month, kind: str):
    copying = request.method == "GET" and request.GET.get("copy") == "1" and kind == "targets"
    if request.method == "GET" and not copying:
        return _stored_grid(request, team, month, kind)
    grid = selectors.month_grid(team=team, month=month, kind=kind)
    url_name = "tracker:targets" if kind == "targets" else "tracker:results"
    source = grid.values
    if copying:
        source = {**grid.values, **grid.previous}
        messages.info(request, f"Copied {add_months(month, -1):%B}'s targets into the grid. Review them, then save.")
    form = _unbound_form(team, grid, source)
    conflicts = []
    if request.method == "POST":
        data = request.POST.copy()
        apply_to = request.POST.get("apply")
        if apply_to:
            raw = request.POST.get(f"apply_{apply_to}", "").strip()
            if parse_decimal(raw, team.number_format) is None or not posted_id(apply_to):
                messages.error(request, "Type a number in the 'apply to all' box first.")
            else:
                for member in grid.members:
                    data[cell_name(member.pk, posted_id(apply_to))] = raw
                messages.info(request, "Applied to every member. Not saved yet: review the grid, then save.")
            form = GridForm(data, members=grid.members, metrics=grid.metrics, number_format=team.number_format)
            form.is_valid()
        else:
            form = GridForm(data, members=grid.members, metrics=grid.metrics, number_format=team.number_format)
            if form.is_valid():
                counts = _save(request, form, team=team, month=month, kind=kind)
                if counts is not None:
                    warm_after_write(team=team, month=month)
                    messages.success(request, _saved_message(kind, month, counts))
                    if not counts["conflicts"]:
                        return redirect(url_name, team_id=team.pk, month=month)
                    conflicts = counts["conflicts"]
                    grid = selectors.month_grid(team=team, month=month, kind=kind)
                    form, source = _conflict_form(team, grid, conflicts)
    table = _table_html(team, month, kind, grid, form)
    return _render_grid(
        request, team, month, kind, table=table, form=form, conflicts=conflicts, has_previous=bool(grid.previous)
    )


def _stored_grid(request, team, month, kind: str):
    """The month as stored (a GET): the table is the same for everyone who may see the team until
    the team's data changes, so it is rendered once per team data version (views/cached.py) and
    only the form around it (its CSRF token) per request."""
    today = timezone.localdate()
    table = stored_table(team, month, kind, day=today)
    has_previous = kind == "targets" and stored_has_previous(team, month, day=today)
    return _render_grid(request, team, month, kind, table=table, form=None, conflicts=[], has_previous=has_previous)


def stored_table(team, month, kind: str, *, day) -> str:
    """The month's table as stored, kept per team data version (views/cached.py); also warmed after
    a grid save (views/warm.py)."""

    def build_table() -> str:
        grid = selectors.month_grid(team=team, month=month, kind=kind)
        return _table_html(team, month, kind, grid, _unbound_form(team, grid, grid.values))

    return team_fragment(team=team, name=f"grid:{kind}:{month:%Y-%m}", day=day, build=build_table)


def stored_has_previous(team, month, *, day) -> bool:
    """Whether last month has targets to copy (the targets grid's button), kept like the table."""
    return bool(
        team_fragment(
            team=team,
            name=f"grid:has-previous:{month:%Y-%m}",
            day=day,
            build=lambda: "1" if selectors.month_grid(team=team, month=month, kind="targets").previous else "",
        )
    )


def _unbound_form(team, grid, source: dict) -> GridForm:
    return GridForm(
        members=grid.members,
        metrics=grid.metrics,
        initial=_cell_text(team, source),
        originals={original_name(m, k): format_value(v) for (m, k), v in grid.values.items()},
        number_format=team.number_format,
    )


def _table_html(team, month, kind: str, grid, form: GridForm) -> str:
    """The grid's table with its buttons and totals (includes/grid_table.html): the cells as the
    form holds them (stored, copied, typed or refused), the totals of the stored values."""
    metric_units = {metric.pk: metric.unit for metric in grid.metrics}
    member_ids = {member.pk for member in grid.members}
    stored = {k: v for k, v in grid.values.items() if k[0] in member_ids}
    targets = {k: team.show(v, metric_units[k[1]]) for k, v in grid.targets.items()} if kind == "results" else {}
    rows = []
    card_url = f"tracker:{kind}_card"
    for member, cells in form.cell_rows():
        hints = [targets.get((member.pk, metric.pk), "") for metric in form.metrics]
        rows.append((member, row_html(member, cells, hints, team, card_url=card_url, month=month)))
    return render_to_string(
        "tracker/includes/grid_table.html",
        {
            "team": team,
            "month": month,
            "kind": kind,
            "form": form,
            "rows": rows,
            "apply_fields": list(zip(form.metrics, apply_inputs_html(form), strict=True)),
            "totals": _totals(team, form, stored),
            "card_url": card_url,
        },
    )


def _render_grid(request, team, month, kind: str, *, table: str, form, conflicts, has_previous: bool):
    return render(
        request,
        f"tracker/{kind}_grid.html",
        {
            "team": team,
            "month": month,
            "kind": kind,
            "form": form,
            "table": mark_safe(table),  # noqa: S308 (our own template's output)
            "conflicts": conflicts,
            "has_previous": has_previous,
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
            "url_name": "tracker:targets" if kind == "targets" else "tracker:results",
        },
    )


@tracker_view
def targets(request, team, month):
    return _grid(request, team, month, "targets")


@tracker_view
def results(request, team, month):
    return _grid(request, team, month, "results")


@tracker_view
def targets_current(request, team):
    return redirect("tracker:targets", team_id=team.pk, month=selectors.current_month())


@tracker_view
def results_current(request, team):
    return redirect("tracker:results", team_id=team.pk, month=selectors.current_month())

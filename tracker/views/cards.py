"""One member at a time: the month's grid for a single member, as a card of labelled inputs that
fits a phone. The same GridForm (one `c_` input and its hidden `o_` original per cell) and the same
`services.month_values_save` as the grid, so a missing input never clears a value and a value
changed since the card was opened is shown, not overwritten."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from .. import selectors
from ..forms import GridForm, format_value, original_name
from .access import tracker_view
from .grids import _cell_text, _conflict_form, _save, _saved_message


def _card(request, team, month, member_id: int, kind: str):
    grid = selectors.month_grid(team=team, month=month, kind=kind)
    members = grid.members
    index = next((i for i, m in enumerate(members) if m.pk == member_id), None)
    if index is None:
        raise Http404("No such member in this month's grid.")
    member = members[index]
    previous = members[index - 1] if index > 0 else None
    following = members[index + 1] if index + 1 < len(members) else None
    card_url = f"tracker:{kind}_card"
    mine = {k: v for k, v in grid.values.items() if k[0] == member.pk}
    form = GridForm(
        members=[member],
        metrics=grid.metrics,
        initial=_cell_text(team, mine),
        originals={original_name(m, k): format_value(v) for (m, k), v in mine.items()},
        number_format=team.number_format,
    )
    conflicts = []
    if request.method == "POST":
        form = GridForm(request.POST, members=[member], metrics=grid.metrics, number_format=team.number_format)
        if form.is_valid():
            counts = _save(request, form, team=team, month=month, kind=kind)
            if counts is not None:
                messages.success(request, f"{member.name}: " + _saved_message(kind, month, counts))
                if not counts["conflicts"]:
                    target = following if request.POST.get("next") and following else member
                    return redirect(card_url, team_id=team.pk, month=month, member_id=target.pk)
                conflicts = counts["conflicts"]
                grid = selectors.month_grid(team=team, month=month, kind=kind)
                form, _ = _conflict_form(team, grid, conflicts)
                form = _one_member(form, member)
    targets = grid.targets if kind == "results" else {}
    fields = []
    for cell, metric in zip(form.cell_rows()[0][1], form.metrics, strict=True):
        target = targets.get((member.pk, metric.pk))
        fields.append((cell, metric, None if target is None else team.show(target, metric.unit)))
    return render(
        request,
        "tracker/member_card.html",
        {
            "team": team,
            "month": month,
            "kind": kind,
            "member": member,
            "position": index + 1,
            "count": len(members),
            "form": form,
            "fields": fields,
            "conflicts": conflicts,
            "previous": previous,
            "following": following,
            "card_url": card_url,
            "grid_url": f"tracker:{kind}",
        },
    )


def _one_member(form: GridForm, member) -> GridForm:
    """The conflict form of the whole grid, narrowed to this card's member."""
    card = GridForm(
        members=[member],
        metrics=form.metrics,
        initial={k: v for k, v in form.initial.items() if k.startswith(f"c_{member.pk}_")},
        originals={k: v for k, v in form.originals.items() if k.startswith(f"o_{member.pk}_")},
        number_format=form.number_format,
    )
    card.conflicts = {k: c for k, c in form.conflicts.items() if c.member.pk == member.pk}
    return card


@tracker_view
def targets_card(request, team, month, member_id):
    return _card(request, team, month, member_id, "targets")


@tracker_view
def results_card(request, team, month, member_id):
    return _card(request, team, month, member_id, "results")

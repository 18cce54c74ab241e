"""The grid's cells as HTML, written here rather than by the template: a 200-member team has 1,200
cells, and the template engine's dozen nodes per cell were most of the grid page's CPU. The markup is
the one the template wrote (label, hidden original, input, target hint, conflict, errors); every
text goes through `escape` (the standard library's, as Django's own `escape` does, without its
lazy-string wrapper: 5,000 calls for a big team's grid)."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ..forms import GridCell


def cell_html(cell: GridCell, hint: str, team) -> str:
    """One <td>: the visually hidden label, the hidden original, the input, then the target hint,
    the value saved meanwhile (a conflict) and the cell's errors, each when present."""
    name = cell.name
    errors = cell.errors
    parts = [
        '<td class="num cell--error">' if errors or cell.conflict else '<td class="num">',
        f'<label class="visually-hidden" for="id_{name}">{escape(cell.label)}</label>',
        f'<input type="hidden" name="o{name[1:]}" value="{escape(cell.original)}">',
        f'<input type="text" name="{name}"',
        f' value="{escape(cell.value)}"' if cell.value != "" else "",
        ' inputmode="decimal" size="8" autocomplete="off"',
        f' aria-invalid="true" aria-describedby="id_{name}_error"' if errors else "",
        f' id="id_{name}">',
    ]
    if hint:
        parts.append(f'<span class="cell__hint">of {escape(hint)}</span>')
    if cell.conflict:
        theirs = cell.conflict.theirs
        shown = "empty" if theirs is None else escape(team.show(theirs, cell.conflict.metric.unit))
        parts.append(f'<span class="field__error">Saved meanwhile: {shown}</span>')
    if errors:
        text = " ".join(escape(str(error)) for error in errors)
        parts.append(f'<span class="field__error" id="id_{name}_error">{text}</span>')
    parts.append("</td>")
    return "".join(parts)


def row_cells_html(cells: list[GridCell], hints: list[str], team) -> SafeString:
    """A member's row of cells, ready for the template (`{{ cells }}`)."""
    return mark_safe("".join(cell_html(cell, hint, team) for cell, hint in zip(cells, hints, strict=True)))  # noqa: S308 (every text escaped above)


def row_html(member, cells: list[GridCell], hints: list[str], team, *, card_url: str, month) -> SafeString:
    """A member's whole <tr>: the name linking to their card, the role, then the cells."""
    url = escape(reverse(card_url, args=[team.pk, month, member.pk]))
    role = f' <span class="muted">{escape(member.role)}</span>' if member.role else ""
    return mark_safe(  # noqa: S308 (every text escaped)
        f'<tr><th scope="row"><a href="{url}" aria-describedby="card-link-hint">{escape(member.name)}</a>{role}</th>\n'
        f"        {row_cells_html(cells, hints, team)}\n"
        "      </tr>"
    )


def apply_inputs_html(form) -> list[SafeString]:
    """The "apply to all" box per metric: the markup Django's TextInput writes for these fields
    (type, name, the posted value when there is one, then its attributes and id)."""
    inputs = []
    for metric in form.metrics:
        name = f"apply_{metric.pk}"
        value = form.data.get(name) if form.is_bound else None
        shown = f' value="{escape(value)}"' if value not in (None, "") else ""
        inputs.append(
            mark_safe(  # noqa: S308 (the value escaped above)
                f'<input type="text" name="{name}"{shown} inputmode="decimal" size="8" autocomplete="off" id="id_{name}">'
            )
        )
    return inputs


def text_fields_html(fields) -> list[SafeString]:
    """Optional text fields without help text (the annual targets' one per member) as
    includes/form_field.html and Django's TextInput write them: the field's div, its label, the
    input (posted value, maxlength, aria-invalid and Django's aria-describedby when in error, id)
    and its errors."""
    out = []
    for field in fields:
        name, errors = field.html_name, field.errors
        value = field.value()
        shown = f' value="{escape(value)}"' if value not in (None, "") else ""
        maxlength = getattr(field.field, "max_length", None)
        limit = f' maxlength="{int(maxlength)}"' if maxlength else ""
        invalid = f' aria-invalid="true" aria-describedby="{field.auto_id}_error"' if errors else ""
        problems = "".join(f'<p class="field__error" role="alert">{escape(e)}</p>' for e in errors)
        problems = f'<div id="{field.auto_id}_error">{problems}</div>' if errors else ""
        out.append(
            mark_safe(  # noqa: S308 (every text escaped above)
                f'<div class="field{" field--error" if errors else ""}">'
                f'<label for="{field.auto_id}">{escape(field.label)}</label>'
                f'<input type="text" name="{name}"{shown}{limit}{invalid} id="{field.auto_id}">{problems}</div>'
            )
        )
    return out

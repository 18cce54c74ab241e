"""The rankings table's rows as HTML, written here rather than by the template: a 200-member team has
200 rows of 6 metric cells, and the template engine's nodes per cell were most of the first render
after a write. The markup is the one the template wrote (includes/rankings_body.html); the member's
name goes through `escape`, every other text is a whole number or our own chart."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DASH = "–"


def _change(change: int | None) -> str:
    if change is None:
        return '<span class="muted">new</span>'
    if change > 0:
        return f'<span class="rank-up">&#9650; {change}</span>'
    if change < 0:
        return f'<span class="rank-down">&#9660; {-change}</span>'
    return '<span class="muted">=</span>'


def row_html(row, spark: str) -> SafeString:
    """One <tr> of the overall table: rank, change, member, each metric's percent and rank, the
    overall percent and the trend's sparkline."""
    cells = "".join(
        f'<td class="num">{cell.percent}% <span class="muted">#{cell.rank}</span></td>'
        if cell.percent is not None
        else f'<td class="num">{DASH}</td>'
        for cell in row.cells
    )
    overall = f"{row.percent}%" if row.percent is not None else DASH
    return mark_safe(  # noqa: S308 (the name escaped, the rest numbers and our own chart)
        f"<tr><td>{row.rank or DASH}</td><td>{_change(row.rank_change)}</td><td>{escape(row.member.name)}</td>\n"
        f"        {cells}\n"
        f'        <td class="num"><strong>{overall}</strong></td><td>{spark}</td></tr>'
    )

"""Horizontal bars of one metric's results for a month: each member's result against target, with
the result written as the team writes numbers (tracker.rules.numbers, the one formatter)."""

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..rules.numbers import POINT, format_value

BAR_CAP = Decimal("1.5")  # a bar stops at 150% of target so one star does not squash the rest


def percent_text(value: Decimal | int | None, *, number_format: str = POINT) -> str:
    """A whole percentage as every chart writes it: `104%`, `1.250%` for a decimal-comma team."""
    if value is None:
        return "–"
    return format_value(Decimal(value), "percentage", number_format=number_format)


def result_bars(
    *,
    rows: Sequence[tuple[int, str, Decimal | None, int | None, Decimal | None]],
    unit: str,
    title: str,
    number_format: str = POINT,
    currency: str = "USD",
    width: int = 420,
) -> SafeString:
    """One bar per (rank, name, result, percent of target, attainment): the bar's length is the
    attainment (a dashed line marks 100%), the text is the result and the percent, formatted in the
    team's number format and currency. The <title> and <desc> carry every row for screen readers."""
    bar_h, gap, top, name_w, value_w = 16, 8, 6, 130, 130
    plot_w = width - name_w - value_w
    height = top * 2 + len(rows) * (bar_h + gap)
    chart_id = "bars-" + hashlib.sha256(repr((title, rows, number_format, currency)).encode()).hexdigest()[:10]
    lines = []
    for rank, name, result, percent, _ in rows:
        shown = format_value(result, unit, number_format=number_format, currency=currency)
        lines.append(f"{rank}. {name}: {shown} ({percent_text(percent, number_format=number_format)} of target)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--bars" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id} {chart_id}-desc">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape("; ".join(lines))}</desc>',
    ]
    hundred_x = name_w + round(plot_w / float(BAR_CAP), 1)
    for index, ((rank, name, result, percent, ratio), line) in enumerate(zip(rows, lines, strict=True)):
        y = top + index * (bar_h + gap)
        length = 0.0 if ratio is None else round(float(min(max(ratio, Decimal(0)), BAR_CAP) / BAR_CAP) * plot_w, 1)
        shown = format_value(result, unit, number_format=number_format, currency=currency)
        parts.append(f"<g><title>{escape(line)}</title>")
        parts.append(
            f'<text x="{name_w - 6}" y="{y + 12}" font-size="12" text-anchor="end" fill="#16202c">'
            f"{rank}. {escape(name[:18])}</text>"
        )
        parts.append(f'<rect x="{name_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f0f2f5"/>')
        parts.append(f'<rect x="{name_w}" y="{y}" width="{length}" height="{bar_h}" fill="#1f3a5f"/>')
        parts.append(
            f'<text x="{name_w + plot_w + 6}" y="{y + 12}" font-size="12" fill="#16202c">{escape(shown)} · '
            f"{escape(percent_text(percent, number_format=number_format))}</text></g>"
        )
    parts.append(
        f'<line x1="{hundred_x}" x2="{hundred_x}" y1="0" y2="{height}" stroke="#5b6675" stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every name and value is escaped above

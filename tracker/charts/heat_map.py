"""The consistency heat map: twelve months x five steps, as SVG. Pure: draws a ConsistencyReport."""

import itertools
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..rules.consistency import BEFORE, DONE, LATE, MISSED, PENDING, STEPS, ConsistencyReport
from ..rules.numbers import POINT, format_number

_ids = itertools.count(1)
COLOURS = {DONE: "#2e7d4f", LATE: "#b7791f", MISSED: "#a3343b", PENDING: "#e1e5ea", BEFORE: "#f4f5f7"}
LABELS = {
    DONE: "done on time",
    LATE: "done late",
    MISSED: "missed",
    PENDING: "not due yet",
    BEFORE: "before the team was in the tracker",
}


def heat_map(report: ConsistencyReport) -> SafeString:
    """Twelve months x five steps, one square per step: green done on time, amber late, red
    missed, grey not due yet; the month's score under each column (in the team's number format).
    Every square has a <title>."""
    number_format = getattr(report.team, "number_format", POINT)
    cell, gap, left, top = 26, 4, 150, 22
    width = left + len(report.months) * (cell + gap) + 8
    height = top + len(STEPS) * (cell + gap) + 24
    chart_id = f"heat-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(report.team.name)}: the five steps month by month</title>',
    ]
    for row, (step, name) in enumerate(STEPS.items()):
        y = top + row * (cell + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" font-size="12" text-anchor="end" fill="#16202c">'
            f"{step}. {escape(name)}</text>"
        )
    for col, month in enumerate(report.months):
        x = left + col * (cell + gap)
        parts.append(
            f'<text x="{x + cell / 2}" y="{top - 8}" font-size="11" text-anchor="middle" fill="#3d4856">'
            f"{month.month:%b}</text>"
        )
        for row, status in enumerate(month.steps):
            y = top + row * (cell + gap)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="4" fill="{COLOURS[status.state]}">'
                f"<title>{month.month:%B %Y}, step {status.step} {escape(status.name)}: {LABELS[status.state]}</title>"
                "</rect>"
            )
        y = top + len(STEPS) * (cell + gap) + 14
        score = "–" if month.before_start else format_number(Decimal(month.score), number_format=number_format)
        parts.append(
            f'<text x="{x + cell / 2}" y="{y}" font-size="12" text-anchor="middle" font-weight="700" fill="#16202c">'
            f"{score}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

"""Line charts and sparklines of attainment by month.

They return SVG markup (marked safe; every label is escaped) that works in pages and in
WeasyPrint PDFs alike, with a <title> for screen readers.
"""

import datetime
import hashlib
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..rules.attainment import as_percent
from ..rules.numbers import POINT
from .bars import percent_text

PALETTE = ("#1f3a5f", "#c2571a", "#2e7d4f", "#7a4fa0", "#a3343b", "#3b7ea1")


def _points(values: Sequence[Decimal | None], width: float, height: float, top: float, left: float, y_max: float):
    step = width / max(len(values) - 1, 1)
    points = []
    for i, v in enumerate(values):
        if v is None:
            points.append(None)
            continue
        y = top + height - min(float(v), y_max) / y_max * height
        points.append((round(left + i * step, 1), round(y, 1)))
    return points


def _polylines(points) -> list[str]:
    """Split at gaps so a missing month breaks the line instead of drawing through it."""
    runs, current = [], []
    for p in points:
        if p is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(p)
    if current:
        runs.append(current)
    return [" ".join(f"{x},{y}" for x, y in run) for run in runs]


def line_chart(
    *,
    months: Sequence[datetime.date],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    title: str,
    width: int = 640,
    height: int = 240,
    number_format: str = POINT,
) -> SafeString:
    """Attainment (1 = 100%) by month for one or more series, with a dashed 100% line. Every
    percentage is written in the team's `number_format` (tracker.rules.numbers)."""
    left, right, top, bottom = 44, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([float(v) for _, vals in series for v in vals if v is not None] + [1.2])
    y_max = min(max(1.2, peak * 1.1), 2.0)
    # A stable id (same chart -> same markup) so pages and PDFs can be cached by content.
    chart_id = "chart-" + hashlib.sha256(repr((title, months, series)).encode()).hexdigest()[:10]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f7f8fa" stroke="#c8ced6"/>',
    ]
    for tick in (0.0, 0.5, 1.0, 1.5, 2.0):
        if tick > y_max:
            continue
        y = round(top + plot_h - tick / y_max * plot_h, 1)
        dash = ' stroke-dasharray="4 3"' if tick == 1.0 else ""
        colour = "#5b6675" if tick == 1.0 else "#e1e5ea"
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" stroke="{colour}"{dash}/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" fill="#3d4856">{percent_text(int(tick * 100), number_format=number_format)}</text>'
        )
    step = plot_w / max(len(months) - 1, 1)
    label_every = 1 if len(months) <= 12 else 3
    for i, month in enumerate(months):
        if i % label_every == 0 or i == len(months) - 1:
            x = round(left + i * step, 1)
            parts.append(
                f'<text x="{x}" y="{height - 8}" font-size="11" text-anchor="middle" fill="#3d4856">{month:%b}</text>'
            )
    for index, (label, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = _points(values, plot_w, plot_h, top, left, y_max)
        for line in _polylines(points):
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{line}"><title>{escape(label)}</title></polyline>'
            )
        for p, v in zip(points, values, strict=True):
            if p is not None:
                parts.append(
                    f'<circle cx="{p[0]}" cy="{p[1]}" r="3" fill="{colour}"><title>{escape(label)}: {percent_text(as_percent(v), number_format=number_format)}</title></circle>'
                )
    if len(series) > 1:
        for index, (label, _) in enumerate(series):
            x = left + 8 + index * 130
            parts.append(f'<rect x="{x}" y="{top + 6}" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>')
            parts.append(f'<text x="{x + 14}" y="{top + 15}" font-size="11" fill="#16202c">{escape(label[:18])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated label is escaped above


def sparkline(
    values: Sequence[Decimal | None],
    *,
    label: str = "Trend",
    width: int = 96,
    height: int = 24,
    number_format: str = POINT,
) -> SafeString:
    """A small line of overall attainment by month; the last point is marked. Its <title> lists the
    percentages in the team's `number_format`."""
    known = [v for v in values if v is not None]
    if not known:
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" height="{height}" role="img"><title>{escape(label)}: no data</title></svg>'
        )  # noqa: S308
    y_max = max(max(float(v) for v in known) * 1.1, 1.1)
    points = _points(values, width - 6, height - 6, 3, 3, y_max)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">',
        f"<title>{escape(label)}: "
        + ", ".join(percent_text(as_percent(v), number_format=number_format) for v in values)
        + "</title>",
    ]
    target_y = round(3 + (height - 6) - 1 / y_max * (height - 6), 1)
    parts.append(f'<line x1="0" x2="{width}" y1="{target_y}" y2="{target_y}" stroke="#c8ced6" stroke-dasharray="2 2"/>')
    for line in _polylines(points):
        parts.append(f'<polyline fill="none" stroke="#1f3a5f" stroke-width="1.5" points="{line}"/>')
    last = next((p for p in reversed(points) if p is not None), None)
    if last:
        parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="2.5" fill="#c2571a"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308

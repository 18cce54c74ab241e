"""The funnel drawn on the server as SVG (no JavaScript): the stages as bars narrowing from
registered to bought, and the same stages month by month. Every label is escaped; each chart has
a <title> and a <desc> that says its numbers for screen readers."""

import datetime as dt
import hashlib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = {"registered": "#1f3a5f", "attended": "#3b7ea1", "enrolled_90": "#2e7d4f"}
FUNNEL_STAGES = (
    ("registered", "Registered"),
    ("attended", "Attended"),
    ("enrolled_30", "Bought or seat, 30 days"),
    ("enrolled_60", "Bought or seat, 60 days"),
    ("enrolled_90", "Bought or seat, 90 days"),
)
MONTH_SERIES = (("registered", "Registered"), ("attended", "Attended"), ("enrolled_90", "Bought or seat (90 days)"))


def _id(*parts) -> str:
    return "funnel-" + hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def _open(width: int, height: int, chart_id: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def funnel_chart(*, counts: dict[str, int], title: str, width: int = 420) -> SafeString:
    """One bar per stage, as wide as its share of the registered people, centred like a funnel."""
    bar_h, gap, top = 34, 10, 8
    height = top + len(FUNNEL_STAGES) * (bar_h + gap)
    base = max(counts.get("registered", 0), 1)
    desc = "; ".join(f"{label}: {counts.get(key, 0)}" for key, label in FUNNEL_STAGES)
    chart_id = _id(title, counts)
    parts = _open(width, height, chart_id, title, desc)
    for i, (key, label) in enumerate(FUNNEL_STAGES):
        value = counts.get(key, 0)
        share = value / base
        bar_w = max(round(width * share, 1), 2)
        x, y = round((width - bar_w) / 2, 1), top + i * (bar_h + gap)
        colour = COLOURS.get(key, "#2e7d4f")
        parts.append(f'<rect x="{x}" y="{y}" width="{bar_w}" height="{bar_h}" rx="3" fill="{colour}"/>')
        text = f"{label}: {value} ({share:.0%})" if key != "registered" else f"{label}: {value}"
        parts.append(
            f'<text x="{width / 2}" y="{y + bar_h / 2 + 5}" font-size="16" text-anchor="middle" '
            f'fill="#ffffff" stroke="#1b2430" stroke-width="3" paint-order="stroke">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)


def months_chart(*, months: list[dt.date], by_month: dict, title: str, width: int = 640) -> SafeString:
    """Grouped bars per month (by session date): registered, attended, bought or got a seat."""
    left, right, top, bottom, legend = 36, 8, 10, 26, 24
    height = 240
    plot_w, plot_h = width - left - right, height - top - bottom - legend
    peak = max([by_month[m][k] for m in months for k, _ in MONTH_SERIES] + [1])
    desc = "; ".join(
        f"{m:%b %Y}: " + ", ".join(f"{label} {by_month[m][key]}" for key, label in MONTH_SERIES) for m in months
    )
    chart_id = _id(title, months, by_month)
    parts = _open(width, height, chart_id, title, desc)
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f7f8fa" stroke="#c8ced6"/>')
    for tick in sorted({0, peak // 2, peak}):
        y = round(top + plot_h - tick / peak * plot_h, 1)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" stroke="#e1e5ea"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" fill="#3d4856">{tick}</text>')
    slot = plot_w / max(len(months), 1)
    bar_w = max(slot * 0.8 / len(MONTH_SERIES), 1)
    label_every = 1 if len(months) <= 12 else 3
    for i, month in enumerate(months):
        x0 = left + i * slot + slot * 0.1
        for j, (key, _) in enumerate(MONTH_SERIES):
            value = by_month[month][key]
            bar_h = round(value / peak * plot_h, 1)
            parts.append(
                f'<rect x="{round(x0 + j * bar_w, 1)}" y="{round(top + plot_h - bar_h, 1)}" width="{round(bar_w, 1)}" '
                f'height="{bar_h}" fill="{COLOURS[key]}"/>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{round(left + i * slot + slot / 2, 1)}" y="{top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle" fill="#3d4856">{month:%b %y}</text>'
            )
    y = height - 8
    for j, (key, label) in enumerate(MONTH_SERIES):
        x = left + j * 190
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{COLOURS[key]}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="12" fill="#1b2430">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)

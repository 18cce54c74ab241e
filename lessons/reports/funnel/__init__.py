"""The coach's webinar funnel: registered, attended, bought or got a seat, revenue, with the
people behind every number, as a page, CSV and server-drawn SVG."""

from .chart import funnel_chart, months_chart
from .export import funnel_csv
from .selectors import ALL, STAGE_LABELS, STAGES, FunnelPerson, FunnelReport, FunnelRow, funnel_report, funnel_webinars

__all__ = [
    "ALL",
    "STAGES",
    "STAGE_LABELS",
    "FunnelPerson",
    "FunnelReport",
    "FunnelRow",
    "funnel_chart",
    "funnel_csv",
    "funnel_report",
    "funnel_webinars",
    "months_chart",
]

"""SVG charts drawn on the server (pure: no database). Every label is escaped."""

from .bars import (
    percent_text,
    result_bars,
)
from .heat_map import (
    COLOURS,
    LABELS,
    heat_map,
)
from .lines import (
    PALETTE,
    line_chart,
    sparkline,
)

__all__ = [
    "COLOURS",
    "LABELS",
    "PALETTE",
    "heat_map",
    "line_chart",
    "percent_text",
    "result_bars",
    "sparkline",
]

"""SVG charts drawn on the server (pure: no database). Every label is escaped."""

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
    "sparkline",
]

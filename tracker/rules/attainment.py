"""Pure functions: attainment, weighted overall score, competition ranking and value checks.

No database access here, so the rules are easy to test and reuse (the 1:1s, sub-par flags,
celebrations and consistency score all build on them).
"""

from collections.abc import Hashable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from .numbers import POINT, AmbiguousNumber, parse_number

ATTAINMENT_CAP = Decimal("2")  # 200%: one runaway metric must not swamp the overall score


def parse_decimal(text: str, number_format: str = POINT) -> Decimal | None:
    """Read a number as people type it: '$12,500', '95%', ' 4.5 '. None when it is not a number
    or reads as one only in another number format (see `numbers.parse_number` for the message)."""
    try:
        return parse_number(text, number_format)
    except AmbiguousNumber:
        return None


def attainment(result: Decimal | None, target: Decimal | None, *, higher_is_better: bool = True) -> Decimal | None:
    """Result against target as a ratio (1 = 100%), capped at 200%.

    Lower-is-better metrics invert it: target / result, and a result of 0 against any target counts
    as the cap. None when there is nothing to compare (no result, no target, or a zero target).
    """
    if result is None or target is None:
        return None
    if higher_is_better:
        if target <= 0:
            return None
        ratio = result / target
    else:
        if result <= 0:
            return ATTAINMENT_CAP
        if target <= 0:
            return Decimal("0")
        ratio = target / result
    return min(ratio, ATTAINMENT_CAP)


def weighted_overall(pairs: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Weighted mean of the attainments that exist; None when no weighted metric has one."""
    total = Decimal("0")
    weights = Decimal("0")
    for value, weight in pairs:
        if value is None or not weight:
            continue
        total += value * weight
        weights += weight
    if not weights:
        return None
    return total / weights


def competition_ranks(scores: dict[Hashable, Decimal | None]) -> dict[Hashable, int | None]:
    """Standard competition ranking ('1224'): equal scores share a rank, the next rank skips.

    Scores are compared as they are displayed, rounded to a whole percent (as `as_percent` does),
    so two members shown at 95% share the rank instead of being split by a hidden decimal.
    Keys with no score get None.
    """
    rounded = {k: v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for k, v in scores.items() if v is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {k: (first_position[rounded[k]] if k in rounded else None) for k in scores}


def as_percent(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def value_problem(*, unit: str, value: Decimal) -> str | None:
    """Why a target or result value is not acceptable for a metric's unit, or None."""
    if value < 0:
        return "must not be negative"
    if unit == "average_1_5" and not (Decimal("1") <= value <= Decimal("5")):
        return "must be between 1 and 5"
    if unit == "percentage" and value > 100:
        return "must be a percentage from 0 to 100"
    if value >= Decimal("1e12"):
        return "is too large"
    if value != value.quantize(Decimal("0.01")):
        return "has more than two decimal places"
    return None

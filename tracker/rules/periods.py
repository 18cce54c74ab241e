"""Periods longer than a month (a quarter, the year to date) and annual targets split by month.
Pure functions, no database.

How a metric adds up over several months depends on what it measures:
- money and counts where higher is better (sales volume, contracts, closings) are *added up*;
- ratings, percentages and lower-is-better metrics (days on market, cancellations per month) are
  *averaged*: a quarter's customer rating is the mean of its months, not their sum.

A month counts towards a member's period figure for a metric only when it has both a target and a
result, so a month whose results are not in yet neither lowers nor raises the attainment. With the
same months on both sides, adding up and averaging give the same attainment; they differ only in
the figures shown.
"""

import datetime
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from .months import add_months

MONTH = "month"
QUARTER = "quarter"
YEAR_TO_DATE = "ytd"
PERIODS = {MONTH: "Month", QUARTER: "Quarter", YEAR_TO_DATE: "Year to date"}


def adds_up(*, unit: str, higher_is_better: bool) -> bool:
    """True when a metric's months are added up over a period (and an annual target is split
    across months); False when they are averaged (and an annual target applies to every month)."""
    return unit in ("money", "count") and higher_is_better


def year_start(month: datetime.date, *, starts_in: int = 1) -> datetime.date:
    """The first month of the (fiscal) year that holds `month`, for a year starting in month
    `starts_in` (1 = January)."""
    start = datetime.date(month.year, starts_in, 1)
    return start if start <= month else datetime.date(month.year - 1, starts_in, 1)


def period_months(month: datetime.date, period: str, *, starts_in: int = 1) -> list[datetime.date]:
    """The months of `period` up to and including `month`, oldest first: just `month`; its
    quarter so far; or its year so far. Quarters start every three months from the year's start."""
    month = month.replace(day=1)
    if period == MONTH:
        return [month]
    start = year_start(month, starts_in=starts_in)
    if period == QUARTER:
        elapsed = (month.year - start.year) * 12 + month.month - start.month
        start = add_months(start, elapsed - elapsed % 3)
    months = [start]
    while months[-1] < month:
        months.append(add_months(months[-1], 1))
    return months


def quarter_number(month: datetime.date, *, starts_in: int = 1) -> int:
    """1-4: the quarter of the (fiscal) year that holds `month`."""
    start = year_start(month, starts_in=starts_in)
    return ((month.year - start.year) * 12 + month.month - start.month) // 3 + 1


def combine(
    pairs: Sequence[tuple[Decimal | None, Decimal | None]], *, sums: bool
) -> tuple[Decimal | None, Decimal | None, int]:
    """(target, result, months) over a period from each month's (target, result): added up when
    `sums`, else averaged, over the months that have both. (None, None, 0) when none has both."""
    both = [(t, r) for t, r in pairs if t is not None and r is not None]
    if not both:
        return None, None, 0
    target = sum((t for t, _ in both), Decimal("0"))
    result = sum((r for _, r in both), Decimal("0"))
    if not sums:
        target, result = target / len(both), result / len(both)
    return target, result, len(both)


# Annual targets ------------------------------------------------------------------------------

EVEN = "even"


def split_annual(annual: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`annual` shared across months in proportion to `weights` (a zero weight gets nothing), in
    steps of 1 when `annual` is whole and of 0.01 otherwise, so the months add up to exactly
    `annual` and none is negative: each month gets its share rounded down, then the steps left
    over go to the months that lost most in rounding (largest remainder; earlier month on a tie).
    Raises ValueError for a negative annual figure or weights that are negative or all zero."""
    if annual < 0:
        raise ValueError("The annual target must not be negative.")
    if any(w < 0 for w in weights) or not any(weights):
        raise ValueError("The months' shares must be zero or more, and not all zero.")
    step = Decimal("1") if annual == annual.to_integral_value() else Decimal("0.01")
    steps = int((annual / step).to_integral_value())
    total = sum(weights, Decimal("0"))
    exact = [Decimal(steps) * w / total for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    left = steps - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(n) * step).quantize(Decimal("0.01")) for n in floors]


def fiscal_year_months(first: datetime.date) -> list[datetime.date]:
    """The twelve months of the year starting with `first`."""
    return [add_months(first, i) for i in range(12)]


def profile_weights(months: Sequence[datetime.date], percents: Sequence[Decimal] | None) -> list[Decimal]:
    """Each month's weight: its calendar month's percent in a seasonality profile (`percents`,
    January first), or 1 each for an even split."""
    if percents is None:
        return [Decimal("1")] * len(months)
    return [Decimal(percents[m.month - 1]) for m in months]


def profile_problem(percents: Sequence[Decimal]) -> str | None:
    """Why twelve monthly percentages do not make a seasonality profile, or None."""
    if len(percents) != 12:
        return "Give a percentage for each of the twelve months."
    if any(p < 0 for p in percents):
        return "A month's percentage must not be negative."
    if any(p != p.quantize(Decimal("0.01")) for p in percents):
        return "Use at most two decimal places for each month's percentage."
    total = sum(percents, Decimal("0"))
    if total != 100:
        return f"The months add up to {total.normalize():f} %, not 100 %."
    return None

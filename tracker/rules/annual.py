"""An annual target turned into twelve monthly targets. Pure functions, no database.

A metric that adds up (sales volume, contracts) has its annual figure split across the months,
evenly or by a seasonality profile, so that the twelve months add up to exactly the annual figure.
Months the leader already set are kept unless they choose to replace them; the rest of the annual
figure is then split over the other months. A metric that is averaged (a rating, a percentage,
days on market) is not split: every month gets the annual figure. Months before a member joined
get nothing.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from .periods import split_annual

NEW = "new"  # an empty month gets a target
REPLACE = "replace"  # a month already set gets a different target (only when replacing)
SAME = "same"  # the month already has exactly this target
KEPT = "kept"  # a month already set, left as it is
OFF = "off"  # before the member joined: nothing is written


class PlannedMonth(NamedTuple):
    value: Decimal | None  # the month's target after applying (None: no target)
    action: str

    @property
    def writes(self) -> bool:
        return self.action in (NEW, REPLACE)


def year_plan(
    *,
    annual: Decimal,
    weights: Sequence[Decimal],
    stored: Sequence[Decimal | None],
    on_team: Sequence[bool],
    replace: bool,
    sums: bool,
) -> list[PlannedMonth]:
    """What each of the year's months will hold. `weights` are the months' shares (even: all 1),
    `stored` their current targets, `on_team` whether the member had joined by then. Raises
    ValueError with a message for the leader when the plan cannot add up."""
    keep = [s is not None and not replace and ok for s, ok in zip(stored, on_team, strict=True)]
    open_months = [ok and not k for ok, k in zip(on_team, keep, strict=True)]
    if sums:
        kept_total = sum((s for s, k in zip(stored, keep, strict=True) if k), Decimal("0"))
        rest = annual - kept_total
        if rest < 0:
            raise ValueError(
                "The months already set add up to more than the annual target: lower the annual target, "
                "or tick 'replace months already set'."
            )
        shares = [w if o else Decimal("0") for w, o in zip(weights, open_months, strict=True)]
        if not any(open_months):
            values = [Decimal("0")] * len(weights)
            if rest > 0:
                raise ValueError("Every month is already set: tick 'replace months already set' to split again.")
        elif not any(shares):
            if rest > 0:
                raise ValueError("The profile gives no share to the months left to set: choose another split.")
            values = [Decimal("0")] * len(weights)
        else:
            values = split_annual(rest, shares)
    else:
        values = [annual] * len(weights)
    plan = []
    for value, current, ok, kept in zip(values, stored, on_team, keep, strict=True):
        if not ok:
            plan.append(PlannedMonth(current, OFF))
        elif kept:
            plan.append(PlannedMonth(current, KEPT))
        elif current == value:
            plan.append(PlannedMonth(current, SAME))
        else:
            plan.append(PlannedMonth(value, NEW if current is None else REPLACE))
    return plan

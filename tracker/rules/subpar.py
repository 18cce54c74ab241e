"""Step 4: who is below standard. Pure functions over already-fetched targets and results.

A member is flagged for a month when their weighted overall attainment (tracker.rules.attainment) is
below the team's threshold that month, or in two of the last three months. The flag names the
metrics below the threshold. It becomes known the day after the month ends.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .attainment import as_percent
from .months import add_months
from .scores import MetricCell, members_in_month, scores_for_month


@dataclass
class SubParFlag:
    member: object
    month: datetime.date
    overall: Decimal | None
    threshold: int
    months_below: list[datetime.date]
    metrics_below: list[MetricCell] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return as_percent(self.overall)

    @property
    def detected_on(self) -> datetime.date:
        return add_months(self.month, 1)

    @property
    def reason(self) -> str:
        """Names the month(s) it is about, newest first: "below 80% of target in October 2026", or
        "below 80% of target in 2 of the last three months (October 2026 and August 2026)"."""
        names = [f"{m:%B %Y}" for m in sorted(self.months_below, reverse=True)]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if len(names) == 1:
            return f"below {self.threshold}% of target in {listed}"
        return f"below {self.threshold}% of target in {len(names)} of the last three months ({listed})"

    def snapshot(self) -> dict:
        """The numbers behind the flag, for the improvement plan's record."""
        return {
            "month": f"{self.month:%Y-%m}",
            "overall_percent": self.percent,
            "threshold_percent": self.threshold,
            "months_below": [f"{m:%Y-%m}" for m in self.months_below],
            "metrics": [
                {
                    "name": c.metric.name,
                    "unit": c.metric.unit,
                    "target": str(c.target) if c.target is not None else None,
                    "result": str(c.result) if c.result is not None else None,
                    "percent": c.percent,
                }
                for c in self.metrics_below
            ],
        }


def subpar_flags(
    *, members, metrics, month: datetime.date, targets: dict, results: dict, threshold: int, scores: dict | None = None
) -> dict[int, SubParFlag]:
    """{member_id: flag} for the members flagged in `month`. `targets`/`results` must cover the
    month and the two before it, keyed (member_id, metric_id, month). `scores` may carry
    already computed {month: scores_for_month(...)} for every member, to avoid recomputing."""
    limit = Decimal(threshold) / 100
    window = [add_months(month, -2), add_months(month, -1), month]
    members = list(members)
    active = members_in_month(members, month)
    scores = scores if scores is not None else {}
    for m in window:
        if m not in scores:
            scores[m] = scores_for_month(members, metrics, m, targets, results)
    flags = {}
    for member in active:
        below = [m for m in window if scores[m][member.pk][1] is not None and scores[m][member.pk][1] < limit]
        if month not in below and len(below) < 2:
            continue
        cells, overall = scores[month][member.pk]
        named_month = month if month in below else below[-1]
        named = [c for c in scores[named_month][member.pk][0] if c.attainment is not None and c.attainment < limit]
        flags[member.pk] = SubParFlag(member, month, overall, threshold, below, named)
    return flags

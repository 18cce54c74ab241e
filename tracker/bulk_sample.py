"""Build big teams quickly with bulk_create (for query-count tests, the benchmark and load checks)."""

import datetime
import random
from decimal import Decimal

from tracker.models import Member, Metric, Result, Target, TargetCommunication, Team
from tracker.rules import add_months, month_start

UNITS = ["money", "count", "count", "average_1_5", "percentage", "count"]


def build_team(
    *, leader, members: int, months: int, metrics: int = 6, end: datetime.date | None = None, seed: int = 7
) -> Team:
    rng = random.Random(seed)
    end = month_start(end or datetime.date.today())
    first = add_months(end, -(months - 1))
    team = Team.objects.create(leader=leader, name=f"Big team {members}x{months}")
    metric_rows = Metric.objects.bulk_create(
        [
            Metric(
                team=team,
                name=f"Metric {i + 1}",
                unit=UNITS[i % len(UNITS)],
                order=i,
                higher_is_better=i != 5,
                weight=Decimal(1 + i % 3),
            )
            for i in range(metrics)
        ]
    )
    member_rows = Member.objects.bulk_create(
        [Member(team=team, name=f"Rep {i:04d}", email=f"rep{i}@big.example", start_date=first) for i in range(members)]
    )
    targets, results = [], []
    for month_index in range(months):
        month = add_months(first, month_index)
        for member in member_rows:
            for metric in metric_rows:
                base = {"money": 50000, "count": 10, "average_1_5": 4, "percentage": 95}[metric.unit]
                target = Decimal(base)
                result = (target * Decimal(rng.randint(50, 130)) / 100).quantize(Decimal("0.01"))
                if metric.unit == "average_1_5":
                    result = min(max(result, Decimal(1)), Decimal(5))
                if metric.unit == "percentage":
                    result = min(result, Decimal(100))
                targets.append(Target(member=member, metric=metric, month=month, value=target))
                results.append(Result(member=member, metric=metric, month=month, value=result))
    Target.objects.bulk_create(targets, batch_size=2000)
    Result.objects.bulk_create(results, batch_size=2000)
    TargetCommunication.objects.create(team=team, month=end)
    return team

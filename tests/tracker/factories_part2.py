"""Helpers for the part-2 tests: targets/results in bulk, and a large team for query budgets."""

import datetime
import random
from decimal import Decimal

from tracker.attainment import add_months
from tracker.models import Member, Metric, Result, Target, Team

from .factories import TeamFactory


def put(member, metric, month, target, result=None):
    """A target (and result) for one member, metric and month."""
    Target.objects.update_or_create(member=member, metric=metric, month=month, defaults={"value": Decimal(target)})
    if result is not None:
        Result.objects.update_or_create(member=member, metric=metric, month=month, defaults={"value": Decimal(result)})


def fill(team, month, percents: dict, *, months_back: int = 0):
    """For each member -> percent, every metric of the team at that attainment (target 100) in `month`
    and the `months_back` months before it."""
    metrics = list(team.metrics.filter(archived=False))
    for i in range(months_back + 1):
        m = add_months(month, -i)
        for member, percent in percents.items():
            for metric in metrics:
                result = (
                    percent
                    if metric.higher_is_better
                    else (Decimal(10000) / Decimal(percent)).quantize(Decimal("0.01"))
                )
                put(member, metric, m, 100, result)


def big_team(*, leader=None, members: int = 200, months: int = 36, end: datetime.date, seed: int = 7) -> Team:
    """A team of `members` reps with four metrics and `months` months of targets and results (bulk_create)."""
    team = TeamFactory(**({"leader": leader} if leader else {}))
    metrics = [Metric.objects.create(team=team, name=f"M{i}", weight=Decimal(i + 1), order=i) for i in range(4)]
    people = Member.objects.bulk_create(
        [
            Member(team=team, name=f"Rep {i:03d}", email=f"rep{i}@big.test", start_date=datetime.date(2020, 1, 1))
            for i in range(members)
        ]
    )
    rng = random.Random(seed)
    targets, results = [], []
    for k in range(months):
        month = add_months(end, -k)
        for person in people:
            for metric in metrics:
                targets.append(Target(member=person, metric=metric, month=month, value=Decimal(100)))
                results.append(Result(member=person, metric=metric, month=month, value=Decimal(rng.randint(40, 160))))
    Target.objects.bulk_create(targets, batch_size=2000)
    Result.objects.bulk_create(results, batch_size=2000)
    return team

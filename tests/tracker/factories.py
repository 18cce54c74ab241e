"""Factories (factory_boy) and bulk helpers for the tracker tests: users with tracker access, teams,
members, metrics; targets and results in bulk; a large team for query budgets."""

import datetime
import random
from decimal import Decimal

import factory

from tests.factories import UserFactory
from tracker import services
from tracker.models import Member, Metric, Result, Target, Team, TrackerAccess
from tracker.rules import add_months


class TrackerUserFactory(UserFactory):
    """A user on a free trial of the tracker."""

    @factory.post_generation
    def tracker_access(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TrackerAccess.objects.create(user=obj)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    leader = factory.SubFactory(TrackerUserFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    # Before the months the tests use: the consistency score starts at the team's creation month.
    created_at = datetime.datetime(2023, 1, 1, 12, tzinfo=datetime.UTC)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Rep {n:03d}")
    email = factory.Sequence(lambda n: f"rep{n}@example.com")
    role = "Sales consultant"
    start_date = datetime.date(2020, 1, 1)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = Metric.Unit.COUNT
    weight = Decimal("1")
    order = factory.Sequence(lambda n: n)


def sales_results(team, members, metrics, *, month, values=(Decimal("120"), Decimal("90"), Decimal("60"))):
    """A sales target of 100 for each member and `values` as their results for `month`."""
    sales = metrics[0]
    services.month_values_save(
        team=team, month=month, kind="targets", values={(m.pk, sales.pk): Decimal("100") for m in members}
    )
    services.month_values_save(
        team=team,
        month=month,
        kind="results",
        values={(m.pk, sales.pk): v for m, v in zip(members, values, strict=True)},
    )


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

import datetime
from decimal import Decimal

import factory

from tests.factories import UserFactory
from tracker.models import Member, Metric, Team, TrackerAccess


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
    from tracker import services

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

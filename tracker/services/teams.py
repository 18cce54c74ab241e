"""Writes for teams, co-leaders, members and metrics. Every service validates before saving and
changes all or nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User

from ..data_version import bump_data_version
from ..models import Member, Metric, Team
from ..rules.numbers import defaults_for_time_zone

# The method's defaults: sales, closings, customer rating, paperwork on time.
DEFAULT_METRICS = (
    ("Sales", Metric.Unit.MONEY, Decimal("3")),
    ("Closings", Metric.Unit.COUNT, Decimal("2")),
    ("Customer rating", Metric.Unit.AVERAGE_1_5, Decimal("1")),
    ("Paperwork on time", Metric.Unit.PERCENTAGE, Decimal("1")),
)


@transaction.atomic
def team_create(*, leader: User, name: str, show_full_rankings: bool = True, default_metrics: bool = True) -> Team:
    """A new team led by `leader`, with the method's four default metrics unless asked not to."""
    team = Team(
        leader=leader,
        name=name.strip(),
        show_full_rankings=show_full_rankings,
        **defaults_for_time_zone(leader.time_zone),
    )
    team.full_clean()
    team.save()
    if default_metrics:
        for order, (metric_name, unit, weight) in enumerate(DEFAULT_METRICS):
            metric_create(team=team, name=metric_name, unit=unit, weight=weight, order=order)
    return team


def team_update(
    *,
    team: Team,
    name: str,
    show_full_rankings: bool,
    number_format: str | None = None,
    currency: str | None = None,
    paper_size: str | None = None,
    consistency_start: datetime.date | None | object = ...,
) -> Team:
    """Rename the team or change how it shows rankings and writes numbers, money and PDFs
    (a setting passed as None is left as it is)."""
    team.name = name.strip()
    team.show_full_rankings = show_full_rankings
    for field, value in (("number_format", number_format), ("currency", currency), ("paper_size", paper_size)):
        if value is not None:
            setattr(team, field, value)
    if consistency_start is not ...:  # None clears it: count from the month the team was created
        team.consistency_start = consistency_start.replace(day=1) if consistency_start else None
    team.full_clean()
    team.save()
    return team


def member_create(
    *,
    team: Team,
    name: str,
    email: str = "",
    role: str = "",
    start_date: datetime.date | None = None,
    one_on_one_weekday: int | None = None,
    one_on_one_time: datetime.time | None = None,
) -> Member:
    member = Member(
        team=team,
        name=name.strip(),
        email=email.strip(),
        role=role.strip(),
        one_on_one_weekday=one_on_one_weekday,
        one_on_one_time=one_on_one_time,
    )
    if start_date:
        member.start_date = start_date
    member.full_clean()
    member.save()
    return member


def member_update(
    *,
    member: Member,
    name: str,
    email: str,
    role: str,
    start_date: datetime.date,
    active: bool,
    one_on_one_weekday: int | None = None,
    one_on_one_time: datetime.time | None = None,
) -> Member:
    """Edit a member. Deactivating keeps all their history; they just leave the grids. The 1:1
    slot (weekday and time) is set or cleared with the rest of the form."""
    member.name, member.email, member.role = name.strip(), email.strip(), role.strip()
    member.start_date, member.active = start_date, active
    member.one_on_one_weekday, member.one_on_one_time = one_on_one_weekday, one_on_one_time
    member.full_clean()
    member.save()
    return member


def member_set_active(*, member: Member, active: bool) -> Member:
    member.active = active
    member.save(update_fields=["active"])
    return member


def metric_create(
    *,
    team: Team,
    name: str,
    unit: str = Metric.Unit.COUNT,
    higher_is_better: bool = True,
    weight: Decimal = Decimal("1"),
    order: int | None = None,
) -> Metric:
    if order is None:
        last = team.metrics.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    metric = Metric(
        team=team, name=name.strip(), unit=unit, higher_is_better=higher_is_better, weight=weight, order=order
    )
    metric.full_clean()
    metric.save()
    return metric


def metric_update(
    *, metric: Metric, name: str, unit: str, higher_is_better: bool, weight: Decimal, archived: bool
) -> Metric:
    metric.name, metric.unit, metric.higher_is_better = name.strip(), unit, higher_is_better
    metric.weight, metric.archived = weight, archived
    metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_move(*, metric: Metric, direction: str) -> None:
    """Move a metric one place up or down; orders are renumbered 0..n-1."""
    metrics = list(Metric.objects.select_for_update().filter(team_id=metric.team_id).order_by("order", "pk"))
    index = next(i for i, m in enumerate(metrics) if m.pk == metric.pk)
    swap = index - 1 if direction == "up" else index + 1
    if 0 <= swap < len(metrics):
        metrics[index], metrics[swap] = metrics[swap], metrics[index]
    for order, m in enumerate(metrics):
        m.order = order
    Metric.objects.bulk_update(metrics, ["order"])
    bump_data_version(team_id=metric.team_id)

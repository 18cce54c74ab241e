"""Demo content for the tracker: Marcus Bell's team of eight new-home sales consultants with
twelve months of targets and results. Idempotent: if the team exists, nothing changes.

The story the numbers tell: Dana is the steady top performer, Luis joined five months ago and
is climbing fast, Grace slipped over the last three months, and Owen has not yet acknowledged
this month's targets.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_user

from ..data_version import bump_data_version
from ..models import (
    MeetingPresentation,
    Member,
    PresentationEvent,
    Result,
    Target,
    TargetAcknowledgement,
    TargetCommunication,
    Team,
    TrackerAccess,
)
from ..rules import add_months, first_working_day, month_start
from ..services import team_create

TEAM_NAME = "Lakeshore Homes: North Sales"
MONTHS = 12

# name, role, months ago they started, performance pattern
REPS = [
    ("Dana Whitfield", "Senior sales consultant", 60, "star"),
    ("Luis Ortega", "Sales consultant", 5, "rising"),
    ("Grace Nakamura", "Sales consultant", 40, "slipping"),
    ("Owen Fletcher", "Sales consultant", 30, "steady"),
    ("Harper Quinn", "Sales consultant", 24, "steady"),
    ("Samir Haddad", "Model home host", 18, "steady"),
    ("Bea Lindqvist", "Sales consultant", 36, "uneven"),
    ("Theo Marsh", "Sales consultant", 14, "steady"),
]

# metric name -> (target, is it capped at a scale)
TARGETS = {
    "Sales": Decimal("1350000"),
    "Closings": Decimal("3"),
    "Customer rating": Decimal("4.5"),
    "Paperwork on time": Decimal("95"),
}


def _factor(pattern: str, index: int, months_in_role: int, rng: random.Random) -> float:
    """Share of target reached in month `index` (0 = oldest of the twelve)."""
    if pattern == "star":
        return rng.uniform(1.12, 1.24)
    if pattern == "rising":
        return min(0.5 + 0.13 * months_in_role, 1.1) + rng.uniform(-0.03, 0.03)
    if pattern == "slipping":
        return rng.uniform(0.98, 1.1) if index < MONTHS - 3 else [0.84, 0.74, 0.66][min(index - (MONTHS - 3), 2)]
    if pattern == "uneven":
        return rng.uniform(0.7, 1.15)
    return rng.uniform(0.86, 1.06)


def _result(metric: str, target: Decimal, factor: float) -> Decimal:
    if metric == "Sales":
        return (target * Decimal(str(factor))).quantize(Decimal("1000"))
    if metric == "Closings":
        return Decimal(max(0, round(float(target) * factor)))
    if metric == "Customer rating":
        return Decimal(str(round(min(5.0, max(1.0, 4.5 - (1 - factor) * 2.2)), 1)))
    return Decimal(str(round(min(100.0, 95 - (1 - factor) * 40), 1)))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed(*, log) -> None:
    leader = demo_user("leader@huddle.test")
    if Team.objects.filter(leader=leader, name=TEAM_NAME).exists():
        return
    TrackerAccess.objects.get_or_create(user=leader, defaults={"note": "Demo leader"})
    rng = random.Random(2024)
    this_month = month_start(timezone.localdate())
    first = add_months(this_month, -MONTHS)
    team = team_create(leader=leader, name=TEAM_NAME, show_full_rankings=True)
    metrics = {m.name: m for m in team.metrics.all()}

    members = []
    for index, (name, role, started_months_ago, pattern) in enumerate(REPS):
        start = add_months(this_month, -started_months_ago) + datetime.timedelta(days=3 + index)
        first_name = name.split()[0].lower()
        members.append(
            (
                Member.objects.create(
                    team=team, name=name, email=f"{first_name}@lakeshore.example", role=role, start_date=start
                ),
                pattern,
            )
        )

    targets, results = [], []
    for index in range(MONTHS + 1):  # twelve finished months and this month's targets
        month = add_months(first, index)
        for member, pattern in members:
            if member.start_month > month:
                continue
            months_in_role = (month.year - member.start_date.year) * 12 + month.month - member.start_date.month
            ramp = Decimal("0.6") if pattern == "rising" and months_in_role < 2 else Decimal("1")
            factor = _factor(pattern, index, months_in_role, rng)
            for metric_name, base in TARGETS.items():
                target = base * ramp if metric_name in ("Sales", "Closings") else base
                if metric_name == "Closings":
                    target = target.quantize(Decimal("1"))
                targets.append(Target(member=member, metric=metrics[metric_name], month=month, value=target))
                if month < this_month:
                    value = _result(metric_name, target, factor + rng.uniform(-0.04, 0.04))
                    results.append(Result(member=member, metric=metrics[metric_name], month=month, value=value))
        # Targets went out on the first working day, except twice when they were a day late.
        sent_day = first_working_day(month) + datetime.timedelta(days=1 if index in (3, 7) else 0)
        if month == this_month:
            sent_day = min(sent_day, timezone.localdate())
        communication = TargetCommunication.objects.create(
            team=team, month=month, sent_at=_at(sent_day, 8), last_sent_at=_at(sent_day, 8), sent_by=leader
        )
        for member, _ in members:
            if member.start_month > month:
                continue
            outstanding = month == this_month and member.name.startswith("Owen")
            TargetAcknowledgement.objects.create(
                communication=communication,
                member=member,
                emailed_at=_at(sent_day, 8),
                acknowledged_at=None if outstanding else _at(sent_day, 10),
            )
        if month < add_months(this_month, -1):
            presented = MeetingPresentation.objects.create(
                team=team,
                month=month,
                presented_at=_at(first_working_day(add_months(month, 1)), 9),
                presented_by=leader,
            )
            PresentationEvent.objects.create(
                team=team, month=month, action="presented", at=presented.presented_at, by=leader
            )
    Target.objects.bulk_create(targets)
    Result.objects.bulk_create(results)
    bump_data_version()  # bulk writes send no signals
    log(f"tracker team '{TEAM_NAME}' with {len(members)} reps, {len(targets)} targets, {len(results)} results")

"""Step 3, track and review in monthly 1:1s: the month's overview and each member's agenda.
Fixed queries whatever the team size or history.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from ..models import ActionItem, ConsistencySettings, ImprovementPlan, Member, OneOnOne, Team
from ..rules import (
    MetricCell,
    SubParFlag,
    as_percent,
    members_in_month,
    month_end,
    month_range,
    scores_for_month,
    subpar_flags,
)
from .consistency import metrics_and_settings
from .kept import kept
from .plans import member_with_plan
from .values import values_for

AGENDA_TREND_MONTHS = 6


@dataclass
class ReviewRow:
    member: Member
    one_on_one: OneOnOne | None
    flag: SubParFlag | None
    plan: ImprovementPlan | None
    overall: Decimal | None
    overdue: bool

    @property
    def status(self) -> str:
        if self.one_on_one and self.one_on_one.held_at:
            return "done"
        if self.one_on_one and self.one_on_one.cancelled_at:
            return "cancelled"  # not done: counts as missing for step 3, shown as what happened
        if self.one_on_one and self.one_on_one.scheduled_at:
            return "scheduled"
        return "missing"

    @property
    def percent(self) -> int | None:
        return as_percent(self.overall)


@dataclass
class MonthReviews:
    team: Team
    month: datetime.date
    settings: ConsistencySettings
    rows: list[ReviewRow]
    due_on: datetime.date

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.status == "done")

    @property
    def flags(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.flag]

    @property
    def overdue(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.overdue]


def team_month_reviews(*, team: Team, month: datetime.date, now: datetime.datetime | None = None) -> MonthReviews:
    """Step 3-4 overview for a month: each member's 1:1 (done, scheduled or missing; overdue when the
    review deadline or the scheduled time has passed), sub-par flag and improvement plan.
    The rows are kept per team, month and tracker data version (selectors/kept.py): no query when
    kept, else five; whether each is overdue is worked out from `now` on every call."""
    now = now or timezone.now()
    settings, members, flags, overall, one_on_ones, plans = kept(
        team=team, name="reviews", parts=(month.isoformat(),), build=lambda bare: _month_reviews(bare, month)
    )
    due_on = month_end(month) + datetime.timedelta(days=settings.review_within_days)
    today = timezone.localdate(now)
    rows = []
    for member in members:
        one_on_one = one_on_ones.get(member.pk)
        held = one_on_one is not None and one_on_one.held_at is not None
        overdue = not held and (
            today > due_on
            or (
                one_on_one is not None
                and one_on_one.cancelled_at is None
                and one_on_one.scheduled_at is not None
                and one_on_one.scheduled_at < now
            )
        )
        rows.append(
            ReviewRow(member, one_on_one, flags.get(member.pk), plans.get(member.pk), overall[member.pk], overdue)
        )
    return MonthReviews(team, month, settings, rows, due_on)


def _month_reviews(team: Team, month: datetime.date) -> tuple:
    """What the month's overview reads from the database (five queries): the team's metrics with its
    review settings, the members, their sub-par flags and overall attainment, their 1:1s and improvement plans."""
    metrics, settings = metrics_and_settings(team)
    members = members_in_month(list(team.members.all()), month)
    targets, results = values_for(teams=[team], months=month_range(month, 3))
    flags = subpar_flags(
        members=members,
        metrics=metrics,
        month=month,
        targets=targets,
        results=results,
        threshold=settings.threshold_percent,
    )
    scores = scores_for_month(members, metrics, month, targets, results)
    one_on_ones = {o.member_id: o for o in OneOnOne.objects.filter(team=team, month=month)}
    plans = {p.member_id: p for p in ImprovementPlan.objects.filter(team=team, flagged_month=month)}
    return settings, members, flags, {pk: score[1] for pk, score in scores.items()}, one_on_ones, plans


@dataclass
class Agenda:
    team: Team
    member: Member
    month: datetime.date
    one_on_one: OneOnOne | None
    cells: list[MetricCell]
    overall: Decimal | None
    months: list[datetime.date]
    trend: list[Decimal | None]
    open_items: list[ActionItem]
    closed_here: list[ActionItem]
    flag: SubParFlag | None
    plan: ImprovementPlan | None
    settings: ConsistencySettings
    previous: list[OneOnOne] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return as_percent(self.overall)

    def snapshot(self) -> dict:
        """The agenda's numbers, stored with the 1:1 when it is held."""
        return {
            "month": f"{self.month:%Y-%m}",
            "overall_percent": self.percent,
            "metrics": [
                {
                    "name": c.metric.name,
                    "target": None if c.target is None else str(c.target),
                    "result": None if c.result is None else str(c.result),
                    "percent": c.percent,
                }
                for c in self.cells
            ],
            "trend": [
                {"month": f"{m:%Y-%m}", "percent": as_percent(v)} for m, v in zip(self.months, self.trend, strict=True)
            ],
            "open_items": [
                {"id": i.pk, "text": i.text, "owner": i.owner, "due_on": str(i.due_on)} for i in self.open_items
            ],
            "flag": None if self.flag is None else self.flag.snapshot(),
        }


def one_on_one_agenda(*, team: Team, member_id: int, month: datetime.date) -> Agenda:
    """The prefilled agenda for the member's 1:1 about `month` (`_agenda`), kept per team, member,
    month and tracker data version (selectors/kept.py): no query when kept, else five; Http404 when
    the member is not on the team."""
    agenda = kept(
        team=team,
        name="agenda",
        parts=(member_id, month.isoformat()),
        build=lambda bare: _agenda(team=bare, member_id=member_id, month=month),
    )
    agenda.team = team
    return agenda


def _agenda(*, team: Team, member_id: int, month: datetime.date) -> Agenda:
    """The month's numbers per metric, the overall trend over six months, every open action item
    (from any earlier 1:1, read from its one row), the sub-par flag and plan, and the three previous
    1:1s. Five queries; Http404 when the member is not on the team."""
    member, plan = member_with_plan(team=team, member_id=member_id)
    metrics, settings = metrics_and_settings(team)
    months = month_range(month, AGENDA_TREND_MONTHS)
    targets, results = values_for(teams=[team], months=months, member=member)
    by_month = {m: scores_for_month([member], metrics, m, targets, results)[member.pk] for m in months}
    cells, overall = by_month[month]
    one_on_ones = list(OneOnOne.objects.filter(member=member, month__lte=month).order_by("-month")[:4])
    current = one_on_ones[0] if one_on_ones and one_on_ones[0].month == month else None
    previous = [o for o in one_on_ones if o is not current][:3]
    items = list(
        ActionItem.objects.filter(member=member)
        .filter(Q(done_at__isnull=True) | Q(one_on_one=current, one_on_one__isnull=False))
        .order_by("done_at", "due_on", "pk")
    )
    open_items = [i for i in items if i.done_at is None]
    closed_here = [i for i in items if i.done_at is not None]
    flags = subpar_flags(
        members=[member],
        metrics=metrics,
        month=month,
        targets=targets,
        results=results,
        threshold=settings.threshold_percent,
    )
    return Agenda(
        team=team,
        member=member,
        month=month,
        one_on_one=current,
        cells=cells,
        overall=overall,
        months=months,
        trend=[by_month[m][1] for m in months],
        open_items=open_items,
        closed_here=closed_here,
        flag=flags.get(member.pk),
        plan=plan,
        settings=settings,
        previous=previous,
    )

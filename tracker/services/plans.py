"""Step 4 writes: improvement plans opened from a sub-par flag, their check-ins and outcomes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import ActionItem, ImprovementPlan, Member, OneOnOne, PlanCheckIn, Team
from ..selectors.plans import flag_for
from .one_on_ones import action_item_create, check_member

MAX_PLAN_DAYS = 183


@transaction.atomic
def plan_open(
    *,
    team: Team,
    member: Member,
    month: datetime.date,
    expectations: str,
    support: str,
    deadline: datetime.date,
    check_in_dates: list[datetime.date] = (),
    now: datetime.datetime | None = None,
) -> ImprovementPlan:
    """Open an improvement plan from the member's sub-par flag for `month`. Firm but fair: only
    with a held 1:1 about that month (or later) that discussed the gap. The leader's support
    becomes a leader-owned action item, so it is followed up like any other."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    check_member(team, member)
    flag = flag_for(team=team, member=member, month=month)
    if flag is None:
        raise ValidationError(f"{member.name} is not flagged for {month:%B %Y}.")
    if not OneOnOne.objects.filter(member=member, month__gte=month, held_at__isnull=False, discussed_gap=True).exists():
        raise ValidationError(
            f"First hold a 1:1 with {member.name} that discusses the gap, and tick 'we discussed the gap'."
        )
    if ImprovementPlan.objects.filter(member=member, outcome__in=["", "extended"]).exists():
        raise ValidationError(f"{member.name} already has an open improvement plan.")
    if not (today < deadline <= today + datetime.timedelta(days=MAX_PLAN_DAYS)):
        raise ValidationError({"deadline": "Set a deadline after today and within six months."})
    for day in check_in_dates:
        if not (today <= day <= deadline):
            raise ValidationError({"check_in_dates": "Check-in dates fall between today and the deadline."})
    plan = ImprovementPlan(
        team=team,
        member=member,
        flagged_month=month,
        below_standard=flag.snapshot(),
        expectations=expectations.strip(),
        support=support.strip(),
        deadline=deadline,
        flag_detected_on=flag.detected_on,
        opened_at=now,
    )
    plan.full_clean()
    plan.save()
    for day in sorted(set(check_in_dates)):
        PlanCheckIn.objects.create(plan=plan, on=day, notes="Planned check-in.", planned=True)
    action_item_create(
        team=team,
        member=member,
        owner=ActionItem.Owner.LEADER,
        text=f"How I will help: {plan.support}"[:300],
        due_on=deadline,
        today=today,
    )
    return plan


def plan_check_in(*, plan: ImprovementPlan, on: datetime.date, notes: str) -> PlanCheckIn:
    """Record a check-in held on `on` (from the plan's opening to today)."""
    opened = timezone.localtime(plan.opened_at).date()
    if not (opened <= on <= timezone.localdate()):
        raise ValidationError({"on": f"A check-in takes place between {opened:%-d %b %Y} and today."})
    if not plan.is_open:
        raise ValidationError("This plan is closed.")
    check_in = PlanCheckIn(plan=plan, on=on, notes=notes.strip())
    check_in.full_clean()
    check_in.save()
    return check_in


@transaction.atomic
def plan_outcome(
    *,
    plan: ImprovementPlan,
    outcome: str,
    on: datetime.date | None,
    note: str = "",
    new_deadline: datetime.date | None = None,
) -> ImprovementPlan:
    """Close the plan (improved / exited) or extend it to a new deadline. The date is required."""
    if not plan.is_open:
        raise ValidationError("This plan already has a final outcome.")
    if outcome not in (
        ImprovementPlan.Outcome.IMPROVED,
        ImprovementPlan.Outcome.EXTENDED,
        ImprovementPlan.Outcome.EXITED,
    ):
        raise ValidationError({"outcome": "Choose improved, extended or exited."})
    if on is None:
        raise ValidationError({"outcome_on": "Give the date of the outcome."})
    opened = timezone.localtime(plan.opened_at).date()
    if not (opened <= on <= timezone.localdate()):
        raise ValidationError({"outcome_on": f"The outcome date falls between {opened:%-d %b %Y} and today."})
    if outcome == ImprovementPlan.Outcome.EXTENDED:
        if new_deadline is None or new_deadline <= plan.deadline:
            raise ValidationError({"new_deadline": "An extension needs a new deadline after the current one."})
        if new_deadline > on + datetime.timedelta(days=MAX_PLAN_DAYS):
            raise ValidationError({"new_deadline": "Extend by six months at most."})
        plan.deadline = new_deadline
    plan.outcome = outcome
    plan.outcome_on = on
    plan.outcome_note = note.strip()
    plan.full_clean()
    plan.save()
    return plan

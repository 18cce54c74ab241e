"""Step 4, address sub-par performance: a member's flag, their latest improvement plan, a plan's page."""

import datetime

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from ..models import ImprovementPlan, Member, Metric, Team
from ..rules import add_months, subpar_flags
from .consistency import settings_for
from .values import values_for


def flag_for(*, team: Team, member: Member, month: datetime.date):
    """The member's sub-par flag for `month`, or None. Four queries."""
    threshold = settings_for([team])[team.pk].threshold_percent
    targets, results = values_for(teams=[team], months=[add_months(month, -2), add_months(month, -1), month])
    metrics = list(Metric.objects.filter(team=team, archived=False))
    return subpar_flags(
        members=[member], metrics=metrics, month=month, targets=targets, results=results, threshold=threshold
    ).get(member.pk)


def member_with_plan(*, team: Team, member_id: int) -> tuple[Member, ImprovementPlan | None]:
    """The team's member (Http404 otherwise) and their latest improvement plan, in one query."""
    latest = ImprovementPlan.objects.filter(member=OuterRef("pk")).order_by("-opened_at", "-pk")
    member = get_object_or_404(
        team.members.annotate(
            plan_pk=Subquery(latest.values("pk")[:1]),
            plan_deadline=Subquery(latest.values("deadline")[:1]),
            plan_outcome=Subquery(latest.values("outcome")[:1]),
        ),
        pk=member_id,
    )
    plan = None
    if member.plan_pk:
        plan = ImprovementPlan(
            pk=member.plan_pk, team=team, member=member, deadline=member.plan_deadline, outcome=member.plan_outcome
        )
    return member, plan


def plan_detail(*, team: Team, plan_id: int) -> ImprovementPlan:
    """The team's plan with member and check-ins (Http404 for any other team's). Two queries."""
    return get_object_or_404(
        ImprovementPlan.objects.select_related("member", "team", "team__leader").prefetch_related("check_ins"),
        team=team,
        pk=plan_id,
    )

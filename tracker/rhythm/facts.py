"""What the hourly rhythm job needs to know about every team with members, read in a fixed number
of queries whatever the number of teams (the decisions are in tracker.rhythm.due)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from ..models import (
    ActionItem,
    ConsistencySettings,
    ImprovementPlan,
    MeetingPresentation,
    Member,
    Metric,
    OneOnOne,
    Result,
    RhythmEmail,
    Target,
    TargetAcknowledgement,
    TargetCommunication,
    Team,
    TeamRhythm,
)
from ..rules import add_months, month_start
from ..selectors.consistency import settings_for
from ..selectors.values import values_for

CLAIM_LOOKBACK = datetime.timedelta(days=70)  # occasions older than this are never due again


@dataclass
class TeamFacts:
    team: Team
    rhythm: TeamRhythm
    settings: ConsistencySettings
    members: list[Member]
    metrics: list[Metric] = field(default_factory=list)
    communications: dict = field(default_factory=dict)  # month -> TargetCommunication
    waiting: dict = field(default_factory=dict)  # communication month -> (waiting, total)
    presented: set = field(default_factory=set)  # months presented
    with_targets: dict = field(default_factory=dict)  # month -> member ids with a target
    with_results: dict = field(default_factory=dict)  # month -> member ids with a result
    held: set = field(default_factory=set)  # (member_id, month) with a held 1:1
    gap_talks: dict = field(default_factory=dict)  # member_id -> [months of 1:1s that discussed the gap]
    plans: set = field(default_factory=set)  # (member_id, flagged month)
    commitments: list[ActionItem] = field(default_factory=list)  # the leader's open ones
    claimed: set = field(default_factory=set)  # (kind, occasion) already sent

    @property
    def active_members(self) -> list[Member]:
        return [m for m in self.members if m.active]


def rhythm_facts(*, now: datetime.datetime, team_ids=None) -> list[TeamFacts]:
    """Facts of every team that has active members (teams without members get no reminder).
    Twelve queries."""
    teams_qs = (
        Team.objects.annotate(active_count=Count("members", filter=Q(members__active=True)))
        .filter(active_count__gt=0)
        .select_related("leader", "rhythm", "consistency_settings")
        .order_by("pk")
    )
    if team_ids is not None:
        teams_qs = teams_qs.filter(pk__in=team_ids)
    teams = list(teams_qs)
    if not teams:
        return []
    this_month = month_start(now.date())
    # Every leader's "today" is within a day of UTC's: these months cover every team's last three,
    # this and next.
    months = [add_months(this_month, n) for n in range(-4, 3)]
    conf = settings_for(teams)
    facts = {}
    for team in teams:
        rhythm = getattr(team, "rhythm", None) if _has_rhythm(team) else None
        facts[team.pk] = TeamFacts(
            team=team, rhythm=rhythm or TeamRhythm(team=team), settings=conf[team.pk], members=[]
        )
    for member in Member.objects.filter(team__in=teams).order_by("name", "pk"):
        facts[member.team_id].members.append(member)
    for metric in Metric.objects.filter(team__in=teams, archived=False):
        facts[metric.team_id].metrics.append(metric)
    for row in RhythmEmail.objects.filter(team__in=teams, claimed_at__gte=now - CLAIM_LOOKBACK).values_list(
        "team_id", "leader_id", "kind", "occasion"
    ):
        if row[1] == facts[row[0]].team.leader_id:
            facts[row[0]].claimed.add((row[2], row[3]))
    by_comm = {}
    for comm in TargetCommunication.objects.filter(team__in=teams, month__in=months):
        facts[comm.team_id].communications[comm.month] = comm
        by_comm[comm.pk] = comm
    counts = (
        TargetAcknowledgement.objects.filter(communication__in=list(by_comm), member__active=True)
        .values("communication_id")
        .annotate(total=Count("pk"), waiting=Count("pk", filter=Q(acknowledged_at__isnull=True)))
    )
    for row in counts:
        comm = by_comm[row["communication_id"]]
        facts[comm.team_id].waiting[comm.month] = (row["waiting"], row["total"])
    for team_id, month in MeetingPresentation.objects.filter(team__in=teams, month__in=months).values_list(
        "team_id", "month"
    ):
        facts[team_id].presented.add(month)
    member_team = {m.pk: m.team_id for f in facts.values() for m in f.members}
    for model, attr in ((Target, "with_targets"), (Result, "with_results")):
        rows = model.objects.filter(member__team__in=teams, month__in=months).values_list("member_id", "month")
        for member_id, month in rows.distinct():
            getattr(facts[member_team[member_id]], attr).setdefault(month, set()).add(member_id)
    for team_id, member_id, month, gap in OneOnOne.objects.filter(
        team__in=teams, month__in=months, held_at__isnull=False
    ).values_list("team_id", "member_id", "month", "discussed_gap"):
        facts[team_id].held.add((member_id, month))
        if gap:
            facts[team_id].gap_talks.setdefault(member_id, []).append(month)
    for team_id, member_id, month in ImprovementPlan.objects.filter(
        team__in=teams, flagged_month__in=months
    ).values_list("team_id", "member_id", "flagged_month"):
        facts[team_id].plans.add((member_id, month))
    week_end = now.date() + datetime.timedelta(days=8)
    for item in ActionItem.objects.filter(
        team__in=teams, owner=ActionItem.Owner.LEADER, done_at__isnull=True, due_on__lte=week_end
    ).select_related("member"):
        facts[item.team_id].commitments.append(item)
    return list(facts.values())


def _has_rhythm(team: Team) -> bool:
    try:
        team.rhythm  # noqa: B018 (select_related filled it, or raises)
    except TeamRhythm.DoesNotExist:
        return False
    return True


def flag_values(facts: list[TeamFacts], months: list[datetime.date]) -> dict:
    """Targets and results of `months` for the given teams, keyed as tracker.rules expects. One query."""
    teams = [f.team for f in facts]
    return values_for(teams=teams, months=months) if teams else ({}, {})

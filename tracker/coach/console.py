"""Reads for the coach's console: one row per team of a consenting leader, for one month.

A fixed number of queries whatever the number of leaders, teams or months (tested): the teams with
their leaders, trial flags, last activity, when the month's targets were sent and the step-slipped
nudges already sent for the month (one query), then the five steps (five queries, in
tracker.selectors.consistency).

Computing the five steps over twelve months is the costly part. The default sort (leader), last
activity and "missed the 1st" (sort, filter, count) need only what the first query brings, so the
console pages first and computes the page's teams only (console_page). Score and streak need every
team's steps to sort: those sorts, and the CSV of all rows, still compute every matching team.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils import timezone

from lessons.models import Nudge
from program.models import Enrollment
from program.payments.models import SeatInvitation

from ..models import Celebration, MeetingPresentation, OneOnOne, TargetCommunication, Team, TrackerAccess, ValueChange
from ..rules import (
    LATE,
    MISSED,
    STEPS,
    ConsistencyReport,
    MonthConsistency,
    StepStatus,
    first_working_day,
    month_start,
    step_state,
)
from ..selectors.consistency import HEAT_MONTHS, consistency_for_teams

STEP_SLIPPED = "step_slipped"  # the Nudge.reason of the console's nudges
SORTS = {
    "leader": "Leader (A to Z)",
    "score": "Score (lowest first)",
    "streak": "Streak (shortest first)",
    "missed_first": "Missed the 1st first",
    "activity": "Last activity (longest ago first)",
}
NEEDS_STEPS = {"score", "streak"}  # sorts that need every team's computed steps


def nudge_occasion(*, month: datetime.date, team_id: int, step: int) -> str:
    """The once-only key of a step-slipped nudge: one per team, month and step."""
    return f"{month:%Y-%m}/team-{team_id}/step-{step}"


@dataclass
class ConsoleRow:
    team: Team
    report: ConsistencyReport
    month: MonthConsistency
    trial: bool
    last_activity: datetime.datetime | None
    nudged: dict[int, datetime.datetime] = field(default_factory=dict)  # step -> when already nudged

    @property
    def leader(self):
        return self.team.leader

    @property
    def missed_first(self) -> bool:
        """The targets were not sent by the month's first working day (sent late or not at all)."""
        return self.month.steps[0].state in (MISSED, LATE)

    @property
    def slipped(self) -> StepStatus | None:
        """The first step of the month that is missed (past its deadline, not done): what a nudge is about."""
        return next((s for s in self.month.steps if s.state == MISSED), None)

    @property
    def nudged_at(self) -> datetime.datetime | None:
        step = self.slipped
        return self.nudged.get(step.step) if step else None

    @property
    def score(self) -> int:
        return self.month.score

    @property
    def streak(self) -> int:
        return self.report.streak


def consenting_leaders_q(prefix: str = "") -> Q:
    """Leaders who share their consistency with the coach and use the tracker: an active enrollment
    or an unexpired free trial (labelled as such)."""
    owner = OuterRef(f"{prefix}pk") if prefix else OuterRef("pk")
    enrolled = Enrollment.objects.filter(user=owner, status=Enrollment.Status.ACTIVE)
    return Q(**{f"{prefix}share_consistency_with_coach": True, f"{prefix}is_active": True}) & (
        Q(Exists(enrolled)) | Q(Exists(_trial(owner)))
    )


def _trial(owner) -> QuerySet:
    today = timezone.localdate()
    return TrackerAccess.objects.filter(user=owner).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def _latest(model, at: str) -> Subquery:
    rows = model.objects.filter(team=OuterRef("pk"), **{f"{at}__isnull": False}).order_by(f"-{at}")
    return Subquery(rows.values(at)[:1])


def _nudged(month: datetime.date, step: int) -> Subquery:
    """When the leader was nudged about `step` of `month` for this team (once-only: at most one)."""
    occasion = Concat(
        Value(f"{month:%Y-%m}/team-"),
        Cast(OuterRef("pk"), CharField()),
        Value(f"/step-{step}"),
        output_field=CharField(),
    )
    nudges = Nudge.objects.filter(learner=OuterRef("leader"), reason=STEP_SLIPPED, occasion=occasion)
    return Subquery(nudges.values("created_at")[:1])


def console_teams(
    *, month: datetime.date, program_id: int | None = None, company_id: int | None = None, team_ids=None
) -> QuerySet:
    """Teams of consenting leaders, with `enrolled` (else on a trial), the latest time of each kind
    of tracker work, and when each step of `month` was nudged about."""
    teams = Team.objects.filter(consenting_leaders_q("leader__"))
    if program_id:
        teams = teams.filter(
            Exists(
                Enrollment.objects.filter(
                    user=OuterRef("leader"), program_id=program_id, status=Enrollment.Status.ACTIVE
                )
            )
        )
    if company_id:
        teams = teams.filter(
            Exists(
                SeatInvitation.objects.filter(
                    accepted_by=OuterRef("leader"), purchase__buyer_id=company_id, purchase__revoked_at__isnull=True
                )
            )
        )
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    paid = Enrollment.objects.filter(user=OuterRef("leader"), status=Enrollment.Status.ACTIVE)
    return (
        teams.select_related("leader", "consistency_settings")
        .annotate(
            enrolled=Exists(paid),
            last_sent=_latest(TargetCommunication, "sent_at"),
            last_presented=_latest(MeetingPresentation, "presented_at"),
            last_held=_latest(OneOnOne, "held_at"),
            last_celebrated=_latest(Celebration, "created_at"),
            last_changed=_latest(ValueChange, "changed_at"),
            month_sent=Subquery(
                TargetCommunication.objects.filter(team=OuterRef("pk"), month=month).values("sent_at")[:1]
            ),
            **{f"nudged_{step}": _nudged(month, step) for step in STEPS},
        )
        .order_by(Lower("leader__full_name"), "leader__email", "name", "pk")
    )


def console_rows(
    *,
    month: datetime.date,
    program_id: int | None = None,
    company_id: int | None = None,
    team_ids=None,
    today: datetime.date | None = None,
) -> list[ConsoleRow]:
    """One row per team of a consenting leader for `month` (a first of the month), ordered by leader.
    Six queries whatever the number of teams."""
    teams = list(console_teams(month=month, program_id=program_id, company_id=company_id, team_ids=team_ids))
    return rows_for(teams=teams, month=month, today=today)


def rows_for(*, teams: list[Team], month: datetime.date, today: datetime.date | None = None) -> list[ConsoleRow]:
    """The rows of `teams` (from console_teams, in that order): their five steps computed, five queries."""
    if not teams:
        return []
    reports = consistency_for_teams(teams=teams, end=month, count=HEAT_MONTHS, today=today)
    rows = []
    for team in teams:
        report = reports[team.pk]
        rows.append(
            ConsoleRow(
                team=team,
                report=report,
                month=report.months[-1],
                trial=not team.enrolled,
                last_activity=_last_activity(team),
                nudged={n: getattr(team, f"nudged_{n}") for n in STEPS if getattr(team, f"nudged_{n}")},
            )
        )
    return rows


def _last_activity(team: Team) -> datetime.datetime | None:
    times = [team.last_sent, team.last_presented, team.last_held, team.last_celebrated, team.last_changed]
    return max((t for t in times if t is not None), default=None)


def missed_the_first(team: Team, *, month: datetime.date, today: datetime.date) -> bool:
    """ConsoleRow.missed_first from console_teams' `month_sent` alone (no step computed): the same
    rule as step 1 in tracker.selectors.consistency (not sent, or sent after the first working day;
    never for a month before the team was in the tracker)."""
    started = month_start(team.consistency_start or timezone.localtime(team.created_at).date())
    if month < started:
        return False
    sent = timezone.localtime(team.month_sent).date() if team.month_sent else None
    return step_state(sent, first_working_day(month), today) in (MISSED, LATE)


@dataclass
class ConsolePage:
    rows: list[ConsoleRow]  # the page's rows, steps computed
    page: object  # the Paginator page (its object_list: the page's teams or rows)
    total: int
    missed_first_count: int


def console_page(
    *,
    month: datetime.date,
    sort: str,
    missed_first_only: bool,
    page_number,
    per_page: int,
    program_id: int | None = None,
    company_id: int | None = None,
    today: datetime.date | None = None,
) -> ConsolePage:
    """One page of the console: six queries (teams, then the five steps), whatever the sort."""
    today = today or timezone.localdate()
    if sort in NEEDS_STEPS:
        # Score and streak are computed values: every matching team is computed, then sorted.
        rows = console_rows(month=month, program_id=program_id, company_id=company_id, today=today)
        if missed_first_only:
            rows = [row for row in rows if row.missed_first]
        rows = sort_rows(rows, sort)
        page = Paginator(rows, per_page).get_page(page_number)
        return ConsolePage(list(page.object_list), page, len(rows), sum(1 for r in rows if r.missed_first))
    # Everything else sorts on stored values: page first, compute the page's teams only.
    teams = list(console_teams(month=month, program_id=program_id, company_id=company_id))
    missed = {t.pk for t in teams if missed_the_first(t, month=month, today=today)}
    if missed_first_only:
        teams = [t for t in teams if t.pk in missed]
    if sort == "missed_first":
        teams.sort(key=lambda t: t.pk not in missed)
    elif sort == "activity":
        teams.sort(key=lambda t: _last_activity(t) or _FAR_PAST)
    page = Paginator(teams, per_page).get_page(page_number)
    return ConsolePage(rows_for(teams=list(page.object_list), month=month, today=today), page, len(teams), len(missed))


_FAR_PAST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def sort_rows(rows: list[ConsoleRow], sort: str) -> list[ConsoleRow]:
    """The rows in the coach's chosen order (rows come ordered by leader; sorts are stable)."""
    if sort == "score":
        return sorted(rows, key=lambda r: r.score)
    if sort == "streak":
        return sorted(rows, key=lambda r: r.streak)
    if sort == "missed_first":
        return sorted(rows, key=lambda r: not r.missed_first)
    if sort == "activity":
        return sorted(rows, key=lambda r: r.last_activity or _FAR_PAST)
    return rows

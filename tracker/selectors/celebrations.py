"""Step 5, celebrate successes and personal bests: what is worth celebrating, and the celebrations page.

Detected each month from targets and results: the top performer on each metric, personal bests
(a member's best month ever on a metric, after at least three earlier months), streaks (three or
more months in a row at or above target overall), the most improved member, and a new hire's first
month at target. The leader records the ones worth saying out loud (tracker.services.celebrations).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, Q, Subquery

from ..models import Celebration, MeetingPresentation, Member, Metric, PresentationEvent, Result, Team
from ..rules import (
    add_months,
    as_percent,
    is_personal_best,
    members_in_month,
    month_range,
    month_start,
    scores_for_month,
)
from ..rules.numbers import format_value
from ..rules.periods import QUARTER, period_months, quarter_number
from .kept import kept
from .values import values_for

RECENT_MONTHS = 13  # streaks are counted within the last year
STREAK_MIN = 3
NEW_HIRE_MONTHS = 6
MOST_IMPROVED_MIN_POINTS = 5
Kind = Celebration.Kind


@dataclass
class Candidate:
    member: Member
    kind: str
    title: str
    metric: Metric | None = None

    @property
    def key(self) -> tuple:
        return (self.member.pk, self.kind, self.metric.pk if self.metric else None)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _fmt(value, metric) -> str:
    """A value as the team writes it ($1,720,000, 4.7 / 5, 12): the one formatter, with the team's
    format when the metric came with its team loaded."""
    team = metric._state.fields_cache.get("team")
    if team is not None:
        return team.show(value, metric.unit)
    return format_value(value, metric.unit)


def detect(
    *, members, metrics, month: datetime.date, targets: dict, results: dict, records: dict | None = None
) -> list[Candidate]:
    """What is worth celebrating in `month`. `targets`/`results` hold the members' history up to
    the month, keyed (member_id, metric_id, month). `records` ({(member_id, metric_id): (highest,
    lowest, count)} over all earlier months) lets `results` cover only a recent window; without it
    personal bests are read from `results`."""
    active = members_in_month(list(members), month)
    candidates: list[Candidate] = []
    history_months = sorted({k[2] for k in results if k[2] < month}, reverse=True)
    current = scores_for_month(active, metrics, month, targets, results)
    previous = scores_for_month(active, metrics, add_months(month, -1), targets, results)

    # Top performer on each metric (ties share it), by attainment against their own target.
    for index, metric in enumerate(metrics):
        scored = [(current[m.pk][0][index].attainment, m) for m in active]
        scored = [(a, m) for a, m in scored if a is not None]
        if not scored:
            continue
        best = max(a for a, _ in scored)
        for a, m in scored:
            if a == best:
                candidates.append(
                    Candidate(m, Kind.TOP_PERFORMER, f"Top on {metric.name}: {as_percent(a)}% of target", metric)
                )

    # Personal best: the best month ever on a metric, after at least three earlier months.
    if records is None:
        by_member_metric: dict[tuple[int, int], list] = defaultdict(list)
        for (member_id, metric_id, m), value in results.items():
            if m < month:
                by_member_metric[(member_id, metric_id)].append(value)
        records = {k: (max(v), min(v), len(v)) for k, v in by_member_metric.items()}
    for member in active:
        for metric in metrics:
            value = results.get((member.pk, metric.pk, month))
            highest, lowest, count = records.get((member.pk, metric.pk), (None, None, 0))
            if is_personal_best(
                value, highest=highest, lowest=lowest, months_before=count, higher_is_better=metric.higher_is_better
            ):
                candidates.append(
                    Candidate(
                        member, Kind.PERSONAL_BEST, f"Personal best on {metric.name}: {_fmt(value, metric)}", metric
                    )
                )

    # Streaks and new hires need a member's overall score month by month: computed lazily, as
    # most streaks end after a few months and only new hires need their whole (short) history.
    cache: dict = {month: {pk: s[1] for pk, s in current.items()}}
    earliest = history_months[-1] if history_months else month

    def overall_of(member, m):
        per_month = cache.setdefault(m, {})
        if member.pk not in per_month:
            per_month[member.pk] = scores_for_month([member], metrics, m, targets, results)[member.pk][1]
        return per_month[member.pk]

    for member in active:
        overall = overall_of(member, month)
        if overall is None or overall < 1:
            continue
        streak, m = 1, add_months(month, -1)
        while m >= earliest and (overall_of(member, m) or 0) >= 1:
            streak += 1
            m = add_months(m, -1)
        if streak >= STREAK_MIN:
            candidates.append(Candidate(member, Kind.STREAK, f"{streak} months in a row at target"))
        is_new = month_start(member.start_date) >= add_months(month, -NEW_HIRE_MONTHS)
        if (
            is_new
            and streak == 1
            and not any(
                (overall_of(member, m) or 0) >= 1 for m in history_months if m >= month_start(member.start_date)
            )
        ):
            candidates.append(Candidate(member, Kind.FIRST_TARGET_NEW_HIRE, "First month at target since joining"))

    # Most improved overall since last month (at least five points).
    gains = {}
    for member in active:
        now_, before = current[member.pk][1], previous[member.pk][1]
        if now_ is not None and before is not None:
            gains[member.pk] = (as_percent(now_) - as_percent(before), member)
    if gains:
        top = max(g for g, _ in gains.values())
        if top >= MOST_IMPROVED_MIN_POINTS:
            for gain, member in gains.values():
                if gain == top:
                    candidates.append(Candidate(member, Kind.MOST_IMPROVED, f"Most improved: up {gain} points"))
    return candidates


def quarter_months(month: datetime.date, *, starts_in: int = 1) -> list[datetime.date]:
    """The three months of the quarter that holds `month`, in a year that starts in month
    `starts_in` (the team's "Year starts in", as the quarter rankings use)."""
    first = period_months(month, QUARTER, starts_in=starts_in)[0]
    return [add_months(first, i) for i in range(3)]


@dataclass
class CelebrationsPage:
    team: Team
    month: datetime.date
    members: list[Member]
    to_celebrate: list[Candidate]  # detected and not yet recorded
    recorded: list[Celebration]  # this month
    quarter: list[datetime.date]
    celebrated_in_quarter: set[int]
    not_celebrated: list[Member]

    @property
    def quarter_label(self) -> str:
        """ "Q1: Apr–Jun 2026" (or "Q4: Dec 2025–Feb 2026" across a new year), in the team's year."""
        first, last = self.quarter[0], self.quarter[-1]
        span = f"{first:%b}–{last:%b %Y}" if first.year == last.year else f"{first:%b %Y}–{last:%b %Y}"
        return f"Q{quarter_number(first, starts_in=self.team.year_starts_in)}: {span}"

    @property
    def quarter_share(self) -> int:
        if not self.members:
            return 0
        return round(100 * len(self.celebrated_in_quarter & {m.pk for m in self.members}) / len(self.members))


def personal_best_records(*, team: Team, month: datetime.date) -> dict[tuple[int, int], tuple]:
    """{(member_id, metric_id): (highest, lowest, months)} of each member's results before `month`,
    what `rules.is_personal_best` compares a month against. One aggregate query."""
    return {
        (row["member_id"], row["metric_id"]): (row["highest"], row["lowest"], row["count"])
        for row in Result.objects.filter(member__team=team, metric__archived=False, month__lt=month)
        .order_by()
        .values("member_id", "metric_id")
        .annotate(highest=Max("value"), lowest=Min("value"), count=Count("pk"))
    }


@dataclass(frozen=True)
class MeetingRecords:
    bests: dict[tuple[int, int], tuple]  # personal_best_records' answer
    month_has_results: bool  # any result of the month, on any metric (what presenting asks)
    presented_at: datetime.datetime | None  # the month's presentation in force
    any_event: bool = True  # the month has "presented"/"undone" events (True: not known, ask)
    any_celebration: bool = True  # the month has recorded celebrations (True: not known, ask)


def meeting_records(*, team: Team, month: datetime.date) -> MeetingRecords:
    """`_meeting_records`, kept per team, month and tracker data version (selectors/kept.py: every
    write to the team's results, presentations, their events and celebrations moves it): no query
    when kept, else one (the aggregate over the team's whole history, the page's costliest read)."""
    return kept(
        team=team,
        name="meeting-records",
        parts=(month.isoformat(),),
        build=lambda bare: _meeting_records(team=bare, month=month),
    )


def _meeting_records(*, team: Team, month: datetime.date) -> MeetingRecords:
    """What the meeting page asks of the team's results and presentation: `personal_best_records`,
    whether `month` holds any result, when it was presented and whether it has presentation events
    or celebrations to list (so a month without any asks for neither), in one aggregate query (the
    earlier months' records and the month's count as filtered aggregates, the rest as subqueries);
    a second query only when the team has no result up to `month` at all."""
    earlier = Q(month__lt=month, metric__archived=False)
    presentation = MeetingPresentation.objects.filter(team=team, month=month).values("presented_at")
    rows = list(
        Result.objects.filter(member__team=team, month__lte=month)
        .order_by()
        .values("member_id", "metric_id")
        .annotate(
            highest=Max("value", filter=earlier),
            lowest=Min("value", filter=earlier),
            count=Count("pk", filter=earlier),
            in_month=Count("pk", filter=Q(month=month)),
            presented_at=Subquery(presentation[:1]),
            any_event=Exists(PresentationEvent.objects.filter(team=team, month=month)),
            any_celebration=Exists(Celebration.objects.filter(team=team, month=month)),
        )
    )
    if not rows:
        return MeetingRecords({}, False, presentation.values_list("presented_at", flat=True).first())
    return MeetingRecords(
        bests={(r["member_id"], r["metric_id"]): (r["highest"], r["lowest"], r["count"]) for r in rows if r["count"]},
        month_has_results=any(r["in_month"] for r in rows),
        presented_at=rows[0]["presented_at"],
        any_event=bool(rows[0]["any_event"]),
        any_celebration=bool(rows[0]["any_celebration"]),
    )


def celebrations_page(*, team: Team, month: datetime.date) -> CelebrationsPage:
    """The month's detected celebrations not yet recorded, the recorded ones, and the share of the
    team celebrated this quarter (and who is not yet). Five queries: the last RECENT_MONTHS months
    of targets and results (streaks, most improved, new hires) and one aggregate of each member's
    earlier records (personal bests), so the work does not grow with years of history."""
    metrics = list(team.metrics.filter(archived=False))
    members = list(team.members.all())
    targets, results = values_for(teams=[team], months=month_range(month, RECENT_MONTHS))
    records = personal_best_records(team=team, month=month)
    quarter = quarter_months(month, starts_in=team.year_starts_in)
    in_quarter = list(
        Celebration.objects.filter(team=team, month__in=quarter)
        .select_related("member", "metric")
        .order_by("member__name", "pk")
    )
    recorded = [c for c in in_quarter if c.month == month]
    done_keys = {(c.member_id, c.kind, c.metric_id) for c in recorded}
    candidates = [
        c
        for c in detect(
            members=members, metrics=metrics, month=month, targets=targets, results=results, records=records
        )
        if c.key not in done_keys
    ]
    active = members_in_month(members, month)
    celebrated = {c.member_id for c in in_quarter}
    return CelebrationsPage(
        team=team,
        month=month,
        members=active,
        to_celebrate=sorted(candidates, key=lambda c: (c.member.name, c.kind)),
        recorded=recorded,
        quarter=quarter,
        celebrated_in_quarter=celebrated,
        not_celebrated=[m for m in active if m.pk not in celebrated],
    )


def meeting_celebrations(*, team: Team, month: datetime.date) -> list[Celebration]:
    """Recorded celebrations of the month, for the meeting view. One query."""
    return list(
        Celebration.objects.filter(team=team, month=month).select_related("member").order_by("member__name", "pk")
    )

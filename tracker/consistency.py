"""The leader's consistency: did they do all five steps for each month, on time?

For a month M (its "cycle"):
1. targets for M communicated by M's first working day;
2. M's results presented in the meeting within `publish_within_days` after M ends;
3. a 1:1 about M held with every member active in M, within `review_within_days` after M ends;
4. every sub-par flag for M acted on (a 1:1 that discussed the gap, or an improvement plan) within
   `act_within_days` of the flag becoming known (the day after M ends);
5. at least one celebration recorded for M, within `review_within_days` after M ends.

A step is done (on time), late, missed, or pending (its deadline has not passed yet). The month's
score is the number of steps done on time, out of five.

`consistency_for_teams` computes it for any number of teams in five queries.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import BigIntegerField, Case, F, IntegerField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from home.core.caching.versions import bump_versions, current_version

from .attainment import add_months, first_working_day, month_range, month_start
from .history import settings_for, values_for
from .models import MeetingPresentation, Member, Metric, TargetCommunication
from .review_models import Celebration, ImprovementPlan, OneOnOne, month_end
from .selectors import members_in_month
from .subpar import subpar_flags

STEPS = {
    1: "Communicate targets",
    2: "Publish results",
    3: "1:1 with everyone",
    4: "Act on sub-par",
    5: "Celebrate",
}
DONE, LATE, MISSED, PENDING, BEFORE = "done", "late", "missed", "pending", "before"
HEAT_MONTHS = 12


@dataclass
class StepStatus:
    step: int
    state: str
    due_on: datetime.date
    detail: str = ""

    @property
    def name(self) -> str:
        return STEPS[self.step]


@dataclass
class MonthConsistency:
    month: datetime.date
    steps: list[StepStatus]

    @property
    def score(self) -> int:
        return sum(1 for s in self.steps if s.state == DONE)

    @property
    def in_progress(self) -> bool:
        return any(s.state == PENDING for s in self.steps)

    @property
    def before_start(self) -> bool:
        return all(s.state == BEFORE for s in self.steps)

    @property
    def skipped(self) -> list[StepStatus]:
        return [s for s in self.steps if s.state in (MISSED, LATE)]


@dataclass
class ConsistencyReport:
    team: object
    months: list[MonthConsistency]  # oldest first
    lesson_urls: dict[int, str] = field(default_factory=dict)

    @property
    def by_month(self) -> dict:
        return {m.month: m for m in self.months}

    @property
    def latest_complete(self) -> MonthConsistency | None:
        return next((m for m in reversed(self.months) if not m.in_progress and not m.before_start), None)

    @property
    def current(self) -> MonthConsistency | None:
        """The newest month shown (usually this month, still in progress)."""
        return self.months[-1] if self.months else None

    @property
    def score(self) -> int | None:
        latest = self.latest_complete
        return latest.score if latest else None

    @property
    def streak(self) -> int:
        """Months in a row with all five steps done on time, counting back from the latest
        finished month (months still in progress neither count nor break it)."""
        streak = 0
        for month in reversed(self.months):
            if month.in_progress and not month.skipped:
                continue
            if month.before_start:
                break
            if month.score == len(STEPS):
                streak += 1
            else:
                break
        return streak

    @property
    def prompt(self) -> dict | None:
        """A gentle next step: the most recent step skipped (missed or late) with the lesson that
        teaches it; otherwise the next step due."""
        for month in reversed(self.months):
            if month.skipped:
                step = month.skipped[0]
                return {
                    "kind": "skipped",
                    "month": month.month,
                    "step": step,
                    "text": f"In {month.month:%B} step {step.step}, {step.name.lower()}, was {step.state}. "
                    f"{step.detail} A refresher helps it stick.",
                    "lesson_url": self.lesson_urls.get(step.step, ""),
                }
        pending = [(s.due_on, m.month, s) for m in self.months for s in m.steps if s.state == PENDING]
        if pending:
            due_on, month, step = min(pending, key=lambda t: (t[0], t[2].step))
            return {
                "kind": "next",
                "month": month,
                "step": step,
                "text": f"Next: step {step.step}, {step.name.lower()} for {month:%B}, by {due_on:%A %-d %B}.",
                "lesson_url": self.lesson_urls.get(step.step, ""),
            }
        return None


def _state(done_on: datetime.date | None, due_on: datetime.date, today: datetime.date) -> str:
    if done_on is not None:
        return DONE if done_on <= due_on else LATE
    return MISSED if today > due_on else PENDING


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _events(teams, months):
    """(kind, team_id, month, at, member_id) for communications, presentations, celebrations, plans
    and held 1:1s of the months: five tables in one UNION query."""
    int_field = IntegerField()

    def rows(model, kind, month, at, member):
        return (
            model.objects.filter(team__in=teams, **{f"{month}__in": months})
            .order_by()
            .annotate(
                k=Value(kind, int_field),
                t=F("team_id"),
                mo=F(month),
                at_=F(at),
                who=F(member) if member else Cast(Value(None), BigIntegerField()),
            )
            .values_list("k", "t", "mo", "at_", "who")
        )

    one_on_ones = (  # held 1:1s from the first month on: kind 6, or 7 when the gap was discussed
        OneOnOne.objects.filter(team__in=teams, month__gte=months[0], held_at__isnull=False)
        .order_by()
        .annotate(
            k=Case(When(discussed_gap=True, then=Value(7)), default=Value(6), output_field=int_field),
            t=F("team_id"),
            mo=F("month"),
            at_=F("held_at"),
            who=F("member_id"),
        )
        .values_list("k", "t", "mo", "at_", "who")
    )
    parts = [
        rows(TargetCommunication, 1, "month", "sent_at", None),
        rows(MeetingPresentation, 2, "month", "presented_at", None),
        rows(Celebration, 5, "month", "created_at", "member_id"),
        rows(ImprovementPlan, 4, "flagged_month", "opened_at", "member_id"),
        one_on_ones,
    ]
    return parts[0].union(*parts[1:], all=True)


def consistency_for_teams(
    *, teams, end: datetime.date | None = None, count: int = HEAT_MONTHS, today: datetime.date | None = None
) -> dict[int, ConsistencyReport]:
    """Each team's consistency for the `count` months ending with `end` (default: this month).
    Five queries whatever the number of teams, members or months."""
    teams = list(teams)
    today = today or timezone.localdate()
    end = end or month_start(today)
    months = month_range(end, count)
    window = month_range(end, count + 2)  # sub-par flags look two months back
    settings = settings_for(teams)
    members_by_team = defaultdict(list)
    for member in Member.objects.filter(team__in=teams):
        members_by_team[member.team_id].append(member)
    metrics_by_team = defaultdict(list)
    for metric in Metric.objects.filter(team__in=teams, archived=False):
        metrics_by_team[metric.team_id].append(metric)
    targets, results = values_for(teams=teams, months=window)
    held: dict = {}  # (member_id, month) -> held date
    gap_talks = defaultdict(list)  # member_id -> [(month, held date)] for 1:1s that discussed the gap
    sent, presented, celebrated = {}, {}, defaultdict(list)
    plans = {}
    if teams:
        for kind, team_id, month, at, member_id in _events(teams, months):
            day = _local_date(at)
            if kind == 1:
                sent[(team_id, month)] = day
            elif kind == 2:
                presented[(team_id, month)] = day
            elif kind == 5:
                celebrated[(team_id, month)].append(day)
            elif kind in (6, 7):  # a held 1:1 (7: it discussed the gap)
                held[(member_id, month)] = day
                if kind == 7:
                    gap_talks[member_id].append((month, day))
            else:
                key = (member_id, month)
                plans[key] = min(day, plans.get(key, day))

    reports = {}
    for team in teams:
        conf = settings[team.pk]
        members, metrics = members_by_team[team.pk], metrics_by_team[team.pk]
        scores: dict = {}  # month -> every member's scores, shared by the overlapping flag windows
        member_ids = {m.pk for m in members}
        first_target = min((k[2] for k in targets if k[0] in member_ids), default=None)
        started = month_start(_local_date(team.created_at))
        started = min(started, first_target) if first_target else started
        rows = []
        for month in months:
            if month < started:  # the team was not in the tracker yet: nothing to score
                rows.append(MonthConsistency(month, [StepStatus(n, BEFORE, month) for n in STEPS]))
                continue
            after = month_end(month)
            steps = []
            due = first_working_day(month)
            done_on = sent.get((team.pk, month))
            steps.append(
                StepStatus(1, _state(done_on, due, today), due, "" if done_on else "The targets were not sent.")
            )

            due = after + datetime.timedelta(days=conf.publish_within_days)
            done_on = presented.get((team.pk, month))
            steps.append(StepStatus(2, _state(done_on, due, today), due, "" if done_on else "No meeting presented."))

            due = after + datetime.timedelta(days=conf.review_within_days)
            active = members_in_month(members, month)
            dates = [held.get((m.pk, month)) for m in active]
            missing = [m.name for m, d in zip(active, dates, strict=True) if d is None]
            if missing:
                state = MISSED if today > due else PENDING
                detail = f"No 1:1 with {', '.join(missing[:3])}{' and others' if len(missing) > 3 else ''}."
            else:
                state = DONE if all(d <= due for d in dates) else LATE
                detail = "" if state == DONE else "Some 1:1s came after the deadline."
            steps.append(StepStatus(3, state, due, detail))

            flags = subpar_flags(
                members=members,
                metrics=metrics,
                month=month,
                targets=targets,
                results=results,
                threshold=conf.threshold_percent,
                scores=scores,
            )
            detected = add_months(month, 1)
            due = detected + datetime.timedelta(days=conf.act_within_days)
            states = []
            for member_id in flags:
                acted = [d for m, d in gap_talks.get(member_id, []) if m >= month]
                if (member_id, month) in plans:
                    acted.append(plans[(member_id, month)])
                states.append(_state(min(acted) if acted else None, due, today))
            if not flags:
                state = DONE if today >= detected else PENDING
            elif MISSED in states:
                state = MISSED
            elif PENDING in states:
                state = PENDING
            else:
                state = LATE if LATE in states else DONE
            flagged = ", ".join(f.member.name for f in flags.values())
            steps.append(StepStatus(4, state, due, f"Flagged: {flagged}." if flags and state != DONE else ""))

            due = after + datetime.timedelta(days=conf.review_within_days)
            days = celebrated.get((team.pk, month))
            steps.append(
                StepStatus(
                    5, _state(min(days) if days else None, due, today), due, "" if days else "Nobody celebrated."
                )
            )
            rows.append(MonthConsistency(month, steps))
        reports[team.pk] = ConsistencyReport(team, rows)
    return reports


def team_consistency(*, team, today: datetime.date | None = None) -> ConsistencyReport:
    """One team's report, its prompt linking to the lesson of each step (through
    `tracker:step_lesson`, which finds the lesson only when followed). Five queries."""
    from django.urls import reverse

    report = consistency_for_teams(teams=[team], today=today)[team.pk]
    report.lesson_urls = {step: reverse("tracker:step_lesson", args=[step]) for step in STEPS}
    return report


# --- lessons ---------------------------------------------------------------------------------


def lesson_urls_by_step() -> dict[int, str]:
    """{step: URL of the first live lesson whose "apply it" block points at that tracker step};
    steps no lesson teaches link to the program page. One or two queries."""
    from lessons.models import LessonPage
    from lessons.selectors import url_from_path

    urls: dict[int, str] = {}
    for lesson in LessonPage.objects.live().order_by("path").only("url_path", "body"):
        for block in lesson.body.raw_data:
            if block.get("type") != "apply_it":
                continue
            try:
                step = int((block.get("value") or {}).get("tracker_step") or 0)
            except (TypeError, ValueError):
                continue
            urls.setdefault(step, url_from_path(lesson.url_path))
    if len(urls) < len(STEPS):
        from program.models import ProgramPage

        program = ProgramPage.objects.live().order_by("path").only("url_path").first()
        fallback = url_from_path(program.url_path) if program else "/"
        for step in STEPS:
            urls.setdefault(step, fallback)
    return urls


# --- heat map --------------------------------------------------------------------------------

_ids = itertools.count(1)
COLOURS = {DONE: "#2e7d4f", LATE: "#b7791f", MISSED: "#a3343b", PENDING: "#e1e5ea", BEFORE: "#f4f5f7"}
LABELS = {
    DONE: "done on time",
    LATE: "done late",
    MISSED: "missed",
    PENDING: "not due yet",
    BEFORE: "before the team was in the tracker",
}


def heat_map(report: ConsistencyReport) -> SafeString:
    """Twelve months x five steps, one square per step: green done on time, amber late, red
    missed, grey not due yet; the month's score under each column. Every square has a <title>."""
    cell, gap, left, top = 26, 4, 150, 22
    width = left + len(report.months) * (cell + gap) + 8
    height = top + len(STEPS) * (cell + gap) + 24
    chart_id = f"heat-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(report.team.name)}: the five steps month by month</title>',
    ]
    for row, (step, name) in enumerate(STEPS.items()):
        y = top + row * (cell + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" font-size="12" text-anchor="end" fill="#16202c">'
            f"{step}. {escape(name)}</text>"
        )
    for col, month in enumerate(report.months):
        x = left + col * (cell + gap)
        parts.append(
            f'<text x="{x + cell / 2}" y="{top - 8}" font-size="11" text-anchor="middle" fill="#3d4856">'
            f"{month.month:%b}</text>"
        )
        for row, status in enumerate(month.steps):
            y = top + row * (cell + gap)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="4" fill="{COLOURS[status.state]}">'
                f"<title>{month.month:%B %Y}, step {status.step} {escape(status.name)}: {LABELS[status.state]}</title>"
                "</rect>"
            )
        y = top + len(STEPS) * (cell + gap) + 14
        score = "–" if month.before_start else str(month.score)
        parts.append(
            f'<text x="{x + cell / 2}" y="{y}" font-size="12" text-anchor="middle" font-weight="700" fill="#16202c">'
            f"{score}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- coach and dashboard ---------------------------------------------------------------------


def coach_overview(*, today: datetime.date | None = None) -> dict:
    """Consistency by month for every enrolled leader who agreed to share it, one row per team.
    Seven queries whatever the number of leaders."""
    from accounts.models import User
    from program.models import Enrollment

    from .models import Team

    leaders = User.objects.filter(
        share_consistency_with_coach=True, enrollments__status=Enrollment.Status.ACTIVE
    ).distinct()
    teams = list(
        Team.objects.filter(leader__in=leaders)
        .select_related("leader", "consistency_settings")
        .order_by("leader__email", "name")
    )
    reports = consistency_for_teams(teams=teams, today=today)
    months = reports[teams[0].pk].months if teams else []
    rows = [reports[t.pk] for t in teams]
    rows.sort(key=lambda r: (r.score if r.score is not None else 99, r.team.leader.email))
    return {"months": [m.month for m in months], "rows": rows}


DASHBOARD_TEAMS = 5  # teams shown on the dashboard; the consistency page has every team


def dashboard_consistency(*, user, today: datetime.date | None = None, access=None) -> dict | None:
    """The dashboard panel: score, streak, last six months and the next-step prompt of each of the
    user's teams (by name, up to DASHBOARD_TEAMS), in the report's fixed queries for all of them.
    None when the user has no team (or no tracker). `access`: `selectors.dashboard_access(user)`.
    The first team's entries are also at the top level (`team`, `report`, `prompt`, `recent`)."""
    from .selectors import dashboard_access

    can_use, teams = access if access is not None else dashboard_access(user)
    if not can_use or not teams:
        return None
    teams = teams[:DASHBOARD_TEAMS]
    today = today or timezone.localdate()
    # The reports depend on the tracker rows (versioned), the day and the zone dates are read in.
    key = (
        f"tracker:dashboard-consistency:{'-'.join(str(t.pk) for t in teams)}:{data_version()}:"
        f"{today.isoformat()}:{timezone.get_current_timezone_name()}"
    )
    reports = cache.get(key)
    if reports is None:  # cold: the report's queries, once for every team; warm: none
        from django.urls import reverse

        reports = consistency_for_teams(teams=teams, today=today)
        lesson_urls = {step: reverse("tracker:step_lesson", args=[step]) for step in STEPS}
        for report in reports.values():
            report.lesson_urls = lesson_urls
        cache.set(key, reports, DASHBOARD_CACHE_SECONDS)
    entries = [
        {
            "team": team,
            "report": reports[team.pk],
            "prompt": reports[team.pk].prompt,
            "recent": reports[team.pk].months[-6:],
        }
        for team in teams
    ]
    return {**entries[0], "teams": entries}


# --- cache version ---------------------------------------------------------------------------

DATA_VERSION_KEY = "tracker:data-version"
DASHBOARD_CACHE_SECONDS = 300  # a backstop only: every tracker write moves the version at once


def data_version() -> int:
    """The version of all tracker data, part of the key of every cached tracker summary. No query."""
    return current_version(DATA_VERSION_KEY)


def bump_data_version() -> None:
    """Invalidate every cached tracker summary: call after any tracker write that sends no signal
    (bulk_create, bulk_update, update). Saves and deletes of tracker models call it through
    signals (tracker/apps.py). Bumps now (seen at once, also inside the writer's transaction) and
    again on commit (so a reader that cached pre-commit rows meanwhile is not served after it)."""
    bump_versions(DATA_VERSION_KEY)


def tracker_row_changed(sender, **kwargs) -> None:
    """post_save / post_delete receiver for every tracker model."""
    bump_data_version()

"""The leader's consistency, read: each month's five steps for any number of teams in five queries
(the rules are in tracker.rules.consistency), the coach's overview and the lessons of each step.
"""

import datetime
from collections import defaultdict

from django.db.models import BigIntegerField, Case, F, IntegerField, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import LessonPage
from lessons.selectors import url_from_path
from program.models import Enrollment, ProgramPage

from ..models import (
    Celebration,
    ConsistencySettings,
    ImprovementPlan,
    MeetingPresentation,
    Member,
    Metric,
    OneOnOne,
    TargetCommunication,
    Team,
)
from ..rules import (
    BEFORE,
    DONE,
    LATE,
    MISSED,
    PENDING,
    STEPS,
    ConsistencyReport,
    MonthConsistency,
    StepStatus,
    add_months,
    first_working_day,
    members_in_month,
    month_end,
    month_range,
    month_start,
    step_state,
    subpar_flags,
)
from .values import people_and_values, values_for


def settings_for(teams) -> dict[int, ConsistencySettings]:
    """Each team's settings, an unsaved default row for teams that never changed them. One query,
    none when the teams were fetched with select_related("consistency_settings")."""
    relation = ConsistencySettings._meta.get_field("team").remote_field  # Team -> its settings row
    if teams and all(relation.is_cached(team) for team in teams):
        found = {t.pk: relation.get_cached_value(t) for t in teams if relation.get_cached_value(t) is not None}
    else:
        found = {s.team_id: s for s in ConsistencySettings.objects.filter(team__in=teams)}
        for team in teams:  # remember on the team, so a second call in the same request is free
            relation.set_cached_value(team, found.get(team.pk))
    return {team.pk: found.get(team.pk) or ConsistencySettings(team=team) for team in teams}


def metrics_and_settings(team: Team) -> tuple[list[Metric], ConsistencySettings]:
    """The team's unarchived metrics (in their order) and its settings (`settings_for`'s answer), in
    one query: the settings row rides along each metric row (select_related through the team). A team
    without metrics asks for its settings separately. Each metric's `team` is `team` itself, as
    `team.metrics` gives it, so no second copy of the team is kept with them."""
    metrics = list(Metric.objects.filter(team=team, archived=False).select_related("team__consistency_settings"))
    relation = ConsistencySettings._meta.get_field("team").remote_field
    if metrics:
        loaded = metrics[0].team
        row = relation.get_cached_value(loaded) if relation.is_cached(loaded) else None
        if row is not None:
            ConsistencySettings.team.field.set_cached_value(row, team)
        relation.set_cached_value(team, row)
    for metric in metrics:
        Metric.team.field.set_cached_value(metric, team)
    return metrics, settings_for([team])[team.pk]


HEAT_MONTHS = 12


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _events(teams, months, *, sent_teams=None, sent_months=None):
    """(kind, team_id, month, at, member_id) for communications, presentations, celebrations, plans
    and held 1:1s of the months: five tables in one UNION query. `sent_teams`/`sent_months` (default:
    `teams`, `months`) widen the communications and presentations read (the dashboard's summary panel
    rides along: more teams, next month's communications)."""
    int_field = IntegerField()

    def rows(model, kind, month, at, member, *, of=teams, within=months):
        return (
            model.objects.filter(team__in=of, **{f"{month}__in": within})
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
        rows(TargetCommunication, 1, "month", "sent_at", None, of=sent_teams or teams, within=sent_months or months),
        rows(MeetingPresentation, 2, "month", "presented_at", None, of=sent_teams or teams),
        rows(Celebration, 5, "month", "created_at", "member_id"),
        rows(ImprovementPlan, 4, "flagged_month", "opened_at", "member_id"),
        one_on_ones,
    ]
    return parts[0].union(*parts[1:], all=True)


def consistency_for_teams(
    *,
    teams,
    end: datetime.date | None = None,
    count: int = HEAT_MONTHS,
    today: datetime.date | None = None,
    events=None,
    combined: bool = False,
) -> dict[int, ConsistencyReport]:
    """Each team's consistency for the `count` months ending with `end` (default: this month).
    Five queries whatever the number of teams, members or months; `combined`: members, metrics and
    values in one (`people_and_values`, three in all); `events`: `_events`' rows, already read (two)."""
    teams = list(teams)
    today = today or timezone.localdate()
    end = end or month_start(today)
    months = month_range(end, count)
    window = month_range(end, count + 2)  # sub-par flags look two months back
    settings = settings_for(teams)
    if combined:
        members_by_team, metrics_by_team, targets, results = people_and_values(teams=teams, months=window)
    else:
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
        for kind, team_id, month, at, member_id in _events(teams, months) if events is None else events:
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
        # Months before the team was in the tracker are not missed (back-filled history included),
        # unless the leader chose an earlier start month.
        started = month_start(team.consistency_start or _local_date(team.created_at))
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
                StepStatus(1, step_state(done_on, due, today), due, "" if done_on else "The targets were not sent.")
            )

            due = after + datetime.timedelta(days=conf.publish_within_days)
            done_on = presented.get((team.pk, month))
            steps.append(
                StepStatus(2, step_state(done_on, due, today), due, "" if done_on else "No meeting presented.")
            )

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
                states.append(step_state(min(acted) if acted else None, due, today))
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
                    5, step_state(min(days) if days else None, due, today), due, "" if days else "Nobody celebrated."
                )
            )
            rows.append(MonthConsistency(month, steps))
        reports[team.pk] = ConsistencyReport(team, rows)
    return reports


def team_consistency(*, team, today: datetime.date | None = None) -> ConsistencyReport:
    """One team's report, its prompt linking to the lesson of each step (through
    `tracker:step_lesson`, which finds the lesson only when followed). Five queries."""
    report = consistency_for_teams(teams=[team], today=today)[team.pk]
    report.lesson_urls = {step: reverse("tracker:step_lesson", args=[step]) for step in STEPS}
    return report


def lesson_urls_by_step() -> dict[int, str]:
    """{step: URL of the first live lesson whose "apply it" block points at that tracker step};
    steps no lesson teaches link to the program page. One or two queries."""
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
        program = ProgramPage.objects.live().order_by("path").only("url_path").first()
        fallback = url_from_path(program.url_path) if program else "/"
        for step in STEPS:
            urls.setdefault(step, fallback)
    return urls


def coach_overview(*, today: datetime.date | None = None) -> dict:
    """Consistency by month for every enrolled leader who agreed to share it, one row per team.
    Seven queries whatever the number of leaders."""
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

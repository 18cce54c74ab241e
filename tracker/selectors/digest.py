"""The monthly digest: for each team, last month's five steps done or missed, the score and streak,
the top three, the sub-par flags, the celebrations still to make, the leader's open commitments and
the lesson for the step that slipped. Built for any number of teams in a fixed number of queries
(about ten), so the first working day's digests for hundreds of leaders take seconds."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import ActionItem, Celebration, Member, Metric, Team
from ..rules import (
    LATE,
    MISSED,
    ConsistencyReport,
    MonthConsistency,
    as_percent,
    competition_ranks,
    members_in_month,
    month_range,
    scores_for_month,
    subpar_flags,
)
from .celebrations import detect
from .consistency import consistency_for_teams, lesson_urls_by_step, settings_for
from .values import values_for

TOP = 3
CELEBRATION_HISTORY = 6  # months of results read for personal bests and streaks


@dataclass
class Digest:
    team: Team
    month: datetime.date
    report: ConsistencyReport
    top: list[tuple[int, str, int | None]] = field(default_factory=list)  # (rank, name, percent)
    flags: list = field(default_factory=list)
    celebrations: list = field(default_factory=list)  # Candidate, not recorded yet
    commitments: list[ActionItem] = field(default_factory=list)
    lesson_url: str = ""  # for the first step that slipped

    @property
    def steps(self) -> MonthConsistency | None:
        return self.report.by_month.get(self.month)

    @property
    def slipped(self):
        steps = self.steps
        return next((s for s in steps.steps if s.state in (MISSED, LATE)), None) if steps else None


def digests_for_teams(*, teams, month: datetime.date, today: datetime.date) -> dict[int, Digest]:
    """{team_id: Digest} about `month` as seen on `today`. About ten queries whatever the number of
    teams, members or months."""
    teams = list(teams)
    if not teams:
        return {}
    reports = consistency_for_teams(teams=teams, end=month, today=today)
    window = month_range(month, CELEBRATION_HISTORY)
    all_targets, all_results = values_for(teams=teams, months=window)
    members, metrics = defaultdict(list), defaultdict(list)
    team_of = {}
    for member in Member.objects.filter(team__in=teams).order_by("name", "pk"):
        members[member.team_id].append(member)
        team_of[member.pk] = member.team_id
    # Each team's own values: the celebration rules scan every value they are given.
    values = defaultdict(lambda: ({}, {}))
    for index, source in enumerate((all_targets, all_results)):
        for key, value in source.items():
            values[team_of[key[0]]][index][key] = value
    for metric in Metric.objects.filter(team__in=teams, archived=False):
        metrics[metric.team_id].append(metric)
    recorded = set(
        Celebration.objects.filter(team__in=teams, month=month).values_list("member_id", "kind", "metric_id")
    )
    commitments = defaultdict(list)
    for item in ActionItem.objects.filter(
        team__in=teams, owner=ActionItem.Owner.LEADER, done_at__isnull=True
    ).select_related("member"):
        commitments[item.team_id].append(item)
    lessons = lesson_urls_by_step()
    conf = settings_for(teams)  # cached on the teams by consistency_for_teams: no query
    digests = {}
    for team in teams:
        people, measures = members[team.pk], metrics[team.pk]
        targets, results = values[team.pk]
        active = members_in_month(people, month)
        scores = {month: scores_for_month(people, measures, month, targets, results)}
        overall = {m.pk: scores[month][m.pk][1] for m in active}
        ranks = competition_ranks(overall)
        names = {m.pk: m.name for m in active}
        ranked = sorted((r, pk) for pk, r in ranks.items() if r is not None)
        top = [(r, names[pk], as_percent(overall[pk])) for r, pk in ranked if r <= TOP]
        flags = list(
            subpar_flags(
                members=people,
                metrics=measures,
                month=month,
                targets=targets,
                results=results,
                threshold=conf[team.pk].threshold_percent,
                scores=scores,
            ).values()
        )
        candidates = detect(members=people, metrics=measures, month=month, targets=targets, results=results)
        to_make = [c for c in candidates if (c.member.pk, c.kind, c.metric.pk if c.metric else None) not in recorded]
        digest = Digest(
            team=team,
            month=month,
            report=reports[team.pk],
            top=top,
            flags=flags,
            celebrations=to_make,
            commitments=commitments[team.pk],
        )
        if digest.slipped:
            digest.lesson_url = lessons.get(digest.slipped.step, "")
        digests[team.pk] = digest
    return digests

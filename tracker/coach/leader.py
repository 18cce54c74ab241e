"""Reads for the coach's page about one leader (/tracker/coach/leaders/<id>/): their progress in
each program (the coach's learner report, lessons.reports.learner_page, reused as is), their
consistency over the last 12 months per team (only if they share it with the coach), the nudges
they were sent, and the coach's private notes.

A fixed number of queries whatever the number of teams, notes or nudges: the leader with their
enrollments (one query; one more when they have none), two per program (learner_page), the teams
(one, shared only) and their consistency (five, shared only), the notes (one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lessons.models import Nudge
from lessons.reports.learner_page import LearnerPage, learner_page
from program.models import Enrollment

from ..models import CoachNote
from ..rules import ConsistencyReport, month_start
from ..selectors.consistency import HEAT_MONTHS, consistency_for_teams
from .console import console_teams


@dataclass
class LeaderOverview:
    leader: object
    programs: list[LearnerPage]
    shared: bool  # the leader shares their consistency with the coach
    reports: list[ConsistencyReport]  # one per team, empty unless shared
    months: list[datetime.date]  # the 12 months shown, oldest first
    nudges: list[dict]  # newest first
    notes: list[CoachNote]  # newest first


def leader_overview(*, leader_id: int, today: datetime.date | None = None) -> LeaderOverview:
    """Everything the coach's page about one leader shows. Raises Http404 for no such account."""
    today = today or timezone.localdate()
    enrollments = list(
        Enrollment.objects.select_related("user", "program").filter(user_id=leader_id).order_by("enrolled_at", "pk")
    )
    leader = enrollments[0].user if enrollments else get_object_or_404(get_user_model(), pk=leader_id)
    programs = [learner_page(program=e.program, learner_id=leader.pk) for e in enrollments]
    if programs:
        nudges = programs[0].nudges  # every nudge to the leader, whatever the program
    else:
        rows = Nudge.objects.filter(learner=leader).order_by("-created_at", "-id")
        nudges = [
            row | {"coach": row["coach_name"]}
            for row in rows.values("id", "subject", "body", "reason", "created_at", coach_name=F("coach__full_name"))
        ]
    shared = bool(leader.share_consistency_with_coach)
    reports, months = [], []
    if shared:
        month = month_start(today)
        teams = list(console_teams(month=month).filter(leader=leader))  # consenting and using the tracker
        by_team = consistency_for_teams(teams=teams, end=month, count=HEAT_MONTHS, today=today) if teams else {}
        reports = [by_team[team.pk] for team in teams]
        months = [m.month for m in reports[0].months] if reports else []
    notes = list(CoachNote.objects.filter(leader=leader).select_related("author"))
    return LeaderOverview(
        leader=leader, programs=programs, shared=shared, reports=reports, months=months, nudges=nudges, notes=notes
    )

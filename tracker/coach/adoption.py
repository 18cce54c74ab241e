"""Reads for the company buyer's adoption view: for the seats of one purchase, who accepted, how far
each got in the program and, only for leaders who chose to share it with the company (`share_rhythm_with_company`, apart from
what they share with the coach), how
many of the five steps they did last month. Never a rep's name or number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from lessons.models import LessonProgress
from lessons.selectors import program_outline
from program.models import Enrollment
from program.payments.models import SeatInvitation, SeatPurchase
from program.payments.selectors import purchase_for_buyer

from ..models import Team
from ..rules import STEPS, add_months, month_start
from ..selectors.consistency import consistency_for_teams


@dataclass
class TeamRhythm:
    name: str
    done: int  # steps done on time
    in_progress: bool  # some steps are not due yet
    started: bool  # False: the team joined the tracker after that month


@dataclass
class SeatHolder:
    invitation: SeatInvitation
    enrollment: Enrollment | None = None
    done: int = 0
    total: int = 0
    shares: bool = False
    teams: list[TeamRhythm] = field(default_factory=list)

    @property
    def user(self) -> User | None:
        return self.invitation.accepted_by

    @property
    def percent(self) -> int:
        if self.enrollment is not None and self.enrollment.completed_at is not None:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


@dataclass
class Adoption:
    purchase: SeatPurchase
    month: datetime.date  # "last month", whose five steps are shown
    holders: list[SeatHolder]  # accepted seats
    waiting: list[SeatInvitation]  # invited, not accepted yet (pending or expired)
    step_count: int = len(STEPS)

    @property
    def accepted(self) -> int:
        return len(self.holders)

    @property
    def completed(self) -> int:
        return sum(1 for h in self.holders if h.enrollment is not None and h.enrollment.completed_at is not None)


def company_adoption(*, buyer: User, pk: int, today: datetime.date | None = None) -> Adoption:
    """The adoption of purchase `pk` for its buyer; Http404 for anyone else. A fixed number of
    queries whatever the number of seats."""
    purchase = purchase_for_buyer(user=buyer, pk=pk)
    today = today or timezone.localdate()
    month = add_months(month_start(today), -1)
    invitations = [i for i in purchase.invitations.all() if i.revoked_at is None or i.accepted_at is not None]
    holders = [SeatHolder(invitation=i) for i in invitations if i.accepted_at is not None and i.accepted_by_id]
    waiting = [i for i in invitations if i.accepted_at is None]
    user_ids = [h.invitation.accepted_by_id for h in holders]
    if user_ids:
        required = {
            lesson.id for module in program_outline(purchase.program) for lesson in module.lessons if lesson.required
        }
        enrollments = {
            e.user_id: e for e in Enrollment.objects.filter(program=purchase.program_id, user_id__in=user_ids)
        }
        done: dict[int, int] = defaultdict(int)
        for user_id in LessonProgress.objects.filter(
            program=purchase.program_id, user_id__in=user_ids, lesson_id__in=list(required), completed_at__isnull=False
        ).values_list("user_id", flat=True):
            done[user_id] += 1
        sharing = {h.user.pk for h in holders if h.user.share_rhythm_with_company}
        teams = list(Team.objects.filter(leader_id__in=sharing).select_related("consistency_settings").order_by("name"))
        reports = consistency_for_teams(teams=teams, end=month, count=1, today=today) if teams else {}
        rhythm = defaultdict(list)
        for team in teams:
            row = reports[team.pk].months[-1]
            rhythm[team.leader_id].append(
                TeamRhythm(name=team.name, done=row.score, in_progress=row.in_progress, started=not row.before_start)
            )
        for holder in holders:
            holder.enrollment = enrollments.get(holder.user.pk)
            holder.done, holder.total = done[holder.user.pk], len(required)
            holder.shares = holder.user.pk in sharing
            holder.teams = rhythm[holder.user.pk]
    holders.sort(key=lambda h: (h.user.get_full_name() or h.user.email).lower())
    return Adoption(purchase=purchase, month=month, holders=holders, waiting=waiting)

"""1:1s from each member's recurring slot (issue 17): one click books this month's 1:1s (about
last month) on every member's weekday and time, and emails all the invitations."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import OneOnOne, Team
from ..rules import add_months, month_end, month_start
from .one_on_ones import one_on_one_invite_send, one_on_one_schedule


@transaction.atomic
def one_on_ones_from_slots(*, team: Team, today: datetime.date | None = None) -> list[OneOnOne]:
    """For each active member with a slot and no 1:1 yet booked or held about last month: book it
    on the slot's next day left this month (from tomorrow) and email the invitation. Returns the
    1:1s booked; members whose weekday has no day left this month are skipped."""
    today = today or timezone.localdate()
    reviewed = add_months(month_start(today), -1)
    zone = ZoneInfo(team.leader.time_zone or settings.TIME_ZONE)
    taken = set(
        OneOnOne.objects.filter(team=team, month=reviewed)
        .exclude(scheduled_at__isnull=True, held_at__isnull=True)
        .values_list("member_id", flat=True)
    )
    booked = []
    last = month_end(month_start(today))
    for member in team.members.filter(active=True, one_on_one_weekday__isnull=False, one_on_one_time__isnull=False):
        if member.pk in taken:
            continue
        day = today + datetime.timedelta(days=1)
        day += datetime.timedelta(days=(member.one_on_one_weekday - day.weekday()) % 7)
        if day > last:
            continue
        when = datetime.datetime.combine(day, member.one_on_one_time, tzinfo=zone)
        one_on_one = one_on_one_schedule(team=team, member=member, month=reviewed, scheduled_at=when, today=today)
        one_on_one.member, one_on_one.team = member, team
        if member.email:
            one_on_one_invite_send(one_on_one=one_on_one)
        booked.append(one_on_one)
    return booked

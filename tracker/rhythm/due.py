"""Which reminders are due for one team on the leader's local date. Pure: the facts come from
tracker.rhythm.facts, the sending from tracker.rhythm.dispatch.

Each reminder has an occasion (the month it is about, or an ISO week) and a window of local dates
in which it may go out; the ledger makes it go out once. Windows are a few days wide where a missed
hour of the scheduler must not cost the reminder, and one day where the message says "today".
"""

import datetime
from dataclasses import dataclass, field

from ..models import ReminderKind
from ..rules import add_months, members_in_month, month_end, month_start, subpar_flags
from .calendar import first_working_day, is_working_day, working_days_before
from .facts import TeamFacts

Kind = ReminderKind
ACK_WAIT_DAYS = 2  # days after the targets went out before "N haven't acknowledged"
LATE_FLAG_WINDOW = datetime.timedelta(days=14)  # how long after the act-by deadline we still remind
DIGEST_WINDOW = datetime.timedelta(days=6)


@dataclass
class Due:
    kind: str
    occasion: str
    month: datetime.date | None = None
    data: dict = field(default_factory=dict)


def month_key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def due_reminders(facts: TeamFacts, today: datetime.date, values: tuple[dict, dict] | None = None) -> list[Due]:
    """Every reminder due for the team on `today` (the leader's local date), turned-off kinds and
    already-sent occasions left out. `values` (targets, results of the last three months) is only
    read for the sub-par reminder."""
    country = facts.rhythm.country or "US"
    this_month = month_start(today)
    last, following = add_months(this_month, -1), add_months(this_month, 1)
    first_day = first_working_day(this_month, country)
    conf = facts.settings
    found: list[Due] = []

    # Before the month: two working days before the 1st, until the 1st.
    if working_days_before(following, 2, country) <= today < following and following not in facts.communications:
        found.append(Due(Kind.TARGETS_NEXT, month_key(following), following))
    # The first working day, if the month's targets have not gone out.
    if today == first_day and this_month not in facts.communications:
        found.append(Due(Kind.TARGETS_DUE, month_key(this_month), this_month))
    # After sending: who has not acknowledged, from ACK_WAIT_DAYS after the send until month end.
    for month in (this_month, following):
        comm = facts.communications.get(month)
        waiting, total = facts.waiting.get(month, (0, 0))
        if comm is None or not waiting:
            continue
        sent_on = comm.sent_at.date()
        if sent_on + datetime.timedelta(days=ACK_WAIT_DAYS) <= today <= month_end(month):
            found.append(Due(Kind.ACKNOWLEDGEMENTS, month_key(month), month, {"waiting": waiting, "total": total}))
    # After month end: enter last month's results (first working day until the meeting deadline).
    present_by = month_end(last) + datetime.timedelta(days=conf.publish_within_days)
    active_last = members_in_month(facts.members, last)
    with_results = facts.with_results.get(last, set())
    with_targets = facts.with_targets.get(last, set())
    missing_results = [m for m in active_last if m.pk in with_targets and m.pk not in with_results]
    if first_day <= today <= present_by and missing_results:
        names = [m.name for m in missing_results]
        found.append(Due(Kind.RESULTS_ENTRY, month_key(last), last, {"names": names}))
    # Then present them by the deadline: from the working day before it.
    if (
        working_days_before(present_by, 1, country) <= today <= present_by
        and today >= first_day
        and last not in facts.presented
        and with_targets
    ):
        found.append(Due(Kind.PRESENT_RESULTS, month_key(last), last, {"by": present_by}))
    # Mid-month: the 1:1s about last month not held yet, three working days before the deadline.
    review_by = month_end(last) + datetime.timedelta(days=conf.review_within_days)
    remind_on = max(working_days_before(review_by, 3, country), first_day)
    left = [m for m in active_last if (m.pk, last) not in facts.held]
    if remind_on <= today <= review_by and left and with_targets:
        found.append(Due(Kind.ONE_ON_ONES, month_key(last), last, {"names": [m.name for m in left], "by": review_by}))
    # A sub-par flag for last month not acted on by the team's deadline.
    act_by = this_month + datetime.timedelta(days=conf.act_within_days)
    if act_by < today <= act_by + LATE_FLAG_WINDOW and values is not None and facts.metrics:
        flags = subpar_flags(
            members=facts.members,
            metrics=facts.metrics,
            month=last,
            targets=values[0],
            results=values[1],
            threshold=conf.threshold_percent,
        )
        unacted = [
            flag
            for member_id, flag in flags.items()
            if (member_id, last) not in facts.plans and not any(m >= last for m in facts.gap_talks.get(member_id, []))
        ]
        if unacted:
            found.append(Due(Kind.SUBPAR, month_key(last), last, {"flags": unacted, "by": act_by}))
    # The leader's own commitments due this week, on the week's first working day.
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    week_first = monday
    while week_first <= sunday and not is_working_day(week_first, country):
        week_first += datetime.timedelta(days=1)
    open_items = [item for item in facts.commitments if item.due_on <= sunday]
    if today == week_first and open_items:
        iso = today.isocalendar()
        found.append(Due(Kind.COMMITMENTS, f"{iso.year}-W{iso.week:02d}", None, {"items": open_items}))
    # The monthly digest about last month, from the first working day.
    if first_day <= today <= first_day + DIGEST_WINDOW:
        found.append(Due(Kind.DIGEST, month_key(last), last))

    return [d for d in found if facts.rhythm.is_on(d.kind) and (d.kind, d.occasion) not in facts.claimed]

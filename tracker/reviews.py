"""Writes for steps 3 and 4: 1:1s, action items, improvement plans and the leader's settings.

Every service validates first and changes all or nothing; a problem is a ValidationError with a
message the form can show in place. Emails leave only after the transaction commits.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from .attainment import add_months, month_start
from .history import settings_for, values_for
from .models import Member, Metric, Team
from .review_models import ActionItem, ConsistencySettings, ImprovementPlan, OneOnOne, PlanCheckIn, month_end
from .subpar import subpar_flags

EARLIEST_MONTH = datetime.date(2000, 1, 1)
HOLD_WINDOW_DAYS = 92  # a 1:1 about a month happens from its first day to about a quarter after it
MAX_PLAN_DAYS = 183
MAX_DUE_DAYS = 366


def _check_month(month: datetime.date, *, today: datetime.date) -> None:
    if month.day != 1 or month < EARLIEST_MONTH or month > add_months(month_start(today), 1):
        raise ValidationError({"month": "Choose a month between 2000 and next month."})


def _check_member(team: Team, member: Member) -> None:
    if member.team_id != team.pk:
        raise ValidationError({"member": "This member is not on your team."})


def _check_in_window(when: datetime.datetime, month: datetime.date, field: str) -> None:
    day = timezone.localtime(when).date()
    last = month_end(month) + datetime.timedelta(days=HOLD_WINDOW_DAYS)
    if not (month <= day <= last):
        raise ValidationError(
            {field: f"A 1:1 about {month:%B %Y} takes place between {month:%-d %b %Y} and {last:%-d %b %Y}."}
        )


# --- settings -------------------------------------------------------------------------------


def consistency_settings_update(
    *, team: Team, threshold_percent: int, publish_within_days: int, review_within_days: int, act_within_days: int
) -> ConsistencySettings:
    """Create or change the team's threshold and deadlines (validated against their ranges)."""
    row = settings_for([team])[team.pk]
    row.threshold_percent = threshold_percent
    row.publish_within_days = publish_within_days
    row.review_within_days = review_within_days
    row.act_within_days = act_within_days
    row.full_clean()
    row.save()
    return row


# --- 1:1s -----------------------------------------------------------------------------------


def one_on_one_schedule(
    *, team: Team, member: Member, month: datetime.date, scheduled_at: datetime.datetime, today=None
) -> OneOnOne:
    """Set (or move) the date of the member's 1:1 about `month`."""
    today = today or timezone.localdate()
    _check_member(team, member)
    _check_month(month, today=today)
    _check_in_window(scheduled_at, month, "scheduled_at")
    one_on_one = OneOnOne.objects.filter(member=member, month=month).first() or OneOnOne(
        team=team, member=member, month=month
    )
    one_on_one.scheduled_at = scheduled_at
    one_on_one.full_clean()
    one_on_one.save()
    return one_on_one


@transaction.atomic
def one_on_one_hold(
    *,
    team: Team,
    member: Member,
    month: datetime.date,
    held_at: datetime.datetime,
    notes: str,
    discussed_gap: bool,
    agenda: dict,
    new_items: list[dict] = (),
    done_item_ids: list[int] = (),
    now: datetime.datetime | None = None,
) -> OneOnOne:
    """Record that the 1:1 about `month` took place: private notes, whether the gap to standard was
    discussed, a snapshot of the agenda's numbers, new action items ({owner, text, due_on}) and the
    earlier items closed in it. All or nothing."""
    now = now or timezone.now()
    _check_member(team, member)
    _check_month(month, today=timezone.localdate(now))
    _check_in_window(held_at, month, "held_at")
    if held_at > now + datetime.timedelta(hours=12):
        raise ValidationError({"held_at": "A 1:1 cannot be recorded as held in the future; schedule it instead."})
    one_on_one = OneOnOne.objects.select_for_update().filter(member=member, month=month).first() or OneOnOne(
        team=team, member=member, month=month
    )
    one_on_one.held_at = held_at
    one_on_one.notes = notes.strip()
    one_on_one.discussed_gap = discussed_gap
    one_on_one.agenda = agenda
    one_on_one.full_clean()
    one_on_one.save()
    for item in new_items:
        action_item_create(
            team=team,
            member=member,
            owner=item["owner"],
            text=item["text"],
            due_on=item["due_on"],
            one_on_one=one_on_one,
            today=timezone.localdate(now),
        )
    if done_item_ids:
        items = list(ActionItem.objects.filter(pk__in=done_item_ids, member=member, done_at__isnull=True))
        if len(items) != len(set(done_item_ids)):
            raise ValidationError({"done_items": "Some of those action items are not open items of this member."})
        ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(done_at=held_at)
    return one_on_one


def action_item_create(
    *,
    team: Team,
    member: Member,
    owner: str,
    text: str,
    due_on: datetime.date,
    one_on_one: OneOnOne | None = None,
    today: datetime.date | None = None,
) -> ActionItem:
    """A new action item for a member of `team`, owned by the member or by the leader."""
    today = today or timezone.localdate()
    _check_member(team, member)
    if not (today - datetime.timedelta(days=HOLD_WINDOW_DAYS) <= due_on <= today + datetime.timedelta(MAX_DUE_DAYS)):
        raise ValidationError({"due_on": "Choose a due date within the coming year."})
    item = ActionItem(team=team, member=member, owner=owner, text=text.strip(), due_on=due_on, one_on_one=one_on_one)
    item.full_clean()
    item.save()
    return item


def action_item_set_done(*, item: ActionItem, done: bool, now: datetime.datetime | None = None) -> ActionItem:
    """Close (or reopen) an item. It is one row, so every 1:1 that shows it sees the change."""
    item.done_at = (now or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
    return item


def one_on_one_ics(*, one_on_one: OneOnOne, duration_minutes: int = 30) -> bytes:
    """A calendar invitation for a scheduled 1:1; the UID is stable so a moved 1:1 replaces itself."""
    if one_on_one.scheduled_at is None:
        raise ValidationError("Schedule the 1:1 before sending an invitation.")
    team = one_on_one.team
    cal = Calendar()
    cal.add("prodid", "-//Huddle//Tracker 1:1s//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"tracker-1on1-{one_on_one.pk}@huddle")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", one_on_one.scheduled_at)
    event.add("dtend", one_on_one.scheduled_at + datetime.timedelta(minutes=duration_minutes))
    event.add("summary", f"1:1 {one_on_one.member.name} / {team.leader.get_full_name() or team.leader.email}")
    event.add("description", f"Our monthly 1:1 about {one_on_one.month:%B %Y}: your numbers, what helps, next steps.")
    cal.add_component(event)
    return cal.to_ical()


def one_on_one_invite_send(*, one_on_one: OneOnOne) -> list[str]:
    """Email the .ics to the member (when they have an address) and to the leader, after commit.
    Returns the addresses."""
    ics = one_on_one_ics(one_on_one=one_on_one)
    recipients = [a for a in (one_on_one.member.email, one_on_one.team.leader.email) if a]
    when = timezone.localtime(one_on_one.scheduled_at)
    message = EmailMessage(
        subject=f"1:1 on {when:%A %-d %B at %H:%M}",
        body=(
            f"Hello {one_on_one.member.name},\n\nHere is the invitation for our monthly 1:1 about "
            f"{one_on_one.month:%B}. Bring your questions and one thing you want help with.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach("one-on-one.ics", ics, "text/calendar")
    transaction.on_commit(message.send)
    return recipients


# --- improvement plans ----------------------------------------------------------------------


def flag_for(*, team: Team, member: Member, month: datetime.date):
    """The member's sub-par flag for `month`, or None. Four queries."""
    threshold = settings_for([team])[team.pk].threshold_percent
    targets, results = values_for(teams=[team], months=[add_months(month, -2), add_months(month, -1), month])
    metrics = list(Metric.objects.filter(team=team, archived=False))
    return subpar_flags(
        members=[member], metrics=metrics, month=month, targets=targets, results=results, threshold=threshold
    ).get(member.pk)


@transaction.atomic
def plan_open(
    *,
    team: Team,
    member: Member,
    month: datetime.date,
    expectations: str,
    support: str,
    deadline: datetime.date,
    check_in_dates: list[datetime.date] = (),
    now: datetime.datetime | None = None,
) -> ImprovementPlan:
    """Open an improvement plan from the member's sub-par flag for `month`. Firm but fair: only
    with a held 1:1 about that month (or later) that discussed the gap. The leader's support
    becomes a leader-owned action item, so it is followed up like any other."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check_member(team, member)
    flag = flag_for(team=team, member=member, month=month)
    if flag is None:
        raise ValidationError(f"{member.name} is not flagged for {month:%B %Y}.")
    if not OneOnOne.objects.filter(member=member, month__gte=month, held_at__isnull=False, discussed_gap=True).exists():
        raise ValidationError(
            f"First hold a 1:1 with {member.name} that discusses the gap, and tick 'we discussed the gap'."
        )
    if ImprovementPlan.objects.filter(member=member, outcome__in=["", "extended"]).exists():
        raise ValidationError(f"{member.name} already has an open improvement plan.")
    if not (today < deadline <= today + datetime.timedelta(days=MAX_PLAN_DAYS)):
        raise ValidationError({"deadline": "Set a deadline after today and within six months."})
    for day in check_in_dates:
        if not (today <= day <= deadline):
            raise ValidationError({"check_in_dates": "Check-in dates fall between today and the deadline."})
    plan = ImprovementPlan(
        team=team,
        member=member,
        flagged_month=month,
        below_standard=flag.snapshot(),
        expectations=expectations.strip(),
        support=support.strip(),
        deadline=deadline,
        flag_detected_on=flag.detected_on,
        opened_at=now,
    )
    plan.full_clean()
    plan.save()
    for day in sorted(set(check_in_dates)):
        PlanCheckIn.objects.create(plan=plan, on=day, notes="Planned check-in.", planned=True)
    action_item_create(
        team=team,
        member=member,
        owner=ActionItem.Owner.LEADER,
        text=f"How I will help: {plan.support}"[:300],
        due_on=deadline,
        today=today,
    )
    return plan


def plan_check_in(*, plan: ImprovementPlan, on: datetime.date, notes: str) -> PlanCheckIn:
    """Record a check-in held on `on` (from the plan's opening to today)."""
    opened = timezone.localtime(plan.opened_at).date()
    if not (opened <= on <= timezone.localdate()):
        raise ValidationError({"on": f"A check-in takes place between {opened:%-d %b %Y} and today."})
    if not plan.is_open:
        raise ValidationError("This plan is closed.")
    check_in = PlanCheckIn(plan=plan, on=on, notes=notes.strip())
    check_in.full_clean()
    check_in.save()
    return check_in


@transaction.atomic
def plan_outcome(
    *,
    plan: ImprovementPlan,
    outcome: str,
    on: datetime.date | None,
    note: str = "",
    new_deadline: datetime.date | None = None,
) -> ImprovementPlan:
    """Close the plan (improved / exited) or extend it to a new deadline. The date is required."""
    if not plan.is_open:
        raise ValidationError("This plan already has a final outcome.")
    if outcome not in (
        ImprovementPlan.Outcome.IMPROVED,
        ImprovementPlan.Outcome.EXTENDED,
        ImprovementPlan.Outcome.EXITED,
    ):
        raise ValidationError({"outcome": "Choose improved, extended or exited."})
    if on is None:
        raise ValidationError({"outcome_on": "Give the date of the outcome."})
    opened = timezone.localtime(plan.opened_at).date()
    if not (opened <= on <= timezone.localdate()):
        raise ValidationError({"outcome_on": f"The outcome date falls between {opened:%-d %b %Y} and today."})
    if outcome == ImprovementPlan.Outcome.EXTENDED:
        if new_deadline is None or new_deadline <= plan.deadline:
            raise ValidationError({"new_deadline": "An extension needs a new deadline after the current one."})
        if new_deadline > on + datetime.timedelta(days=MAX_PLAN_DAYS):
            raise ValidationError({"new_deadline": "Extend by six months at most."})
        plan.deadline = new_deadline
    plan.outcome = outcome
    plan.outcome_on = on
    plan.outcome_note = note.strip()
    plan.full_clean()
    plan.save()
    return plan

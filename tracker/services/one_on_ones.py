"""Step 3 writes: 1:1s, their calendar invitations and action items.

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

from ..models import ActionItem, Member, OneOnOne, Team
from ..rules import add_months, month_end, month_start

EARLIEST_MONTH = datetime.date(2000, 1, 1)
HOLD_WINDOW_DAYS = 92  # a 1:1 about a month happens from its first day to about a quarter after it
MAX_DUE_DAYS = 366


def check_month(month: datetime.date, *, today: datetime.date) -> None:
    if month.day != 1 or month < EARLIEST_MONTH or month > add_months(month_start(today), 1):
        raise ValidationError({"month": "Choose a month between 2000 and next month."})


def check_member(team: Team, member: Member) -> None:
    if member.team_id != team.pk:
        raise ValidationError({"member": "This member is not on your team."})


def _check_in_window(when: datetime.datetime, month: datetime.date, field: str) -> None:
    day = timezone.localtime(when).date()
    last = month_end(month) + datetime.timedelta(days=HOLD_WINDOW_DAYS)
    if not (month <= day <= last):
        raise ValidationError(
            {field: f"A 1:1 about {month:%B %Y} takes place between {month:%-d %b %Y} and {last:%-d %b %Y}."}
        )


def one_on_one_schedule(
    *, team: Team, member: Member, month: datetime.date, scheduled_at: datetime.datetime, today=None
) -> OneOnOne:
    """Set (or move) the date of the member's 1:1 about `month`."""
    today = today or timezone.localdate()
    check_member(team, member)
    check_month(month, today=today)
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
    check_member(team, member)
    check_month(month, today=timezone.localdate(now))
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
    check_member(team, member)
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

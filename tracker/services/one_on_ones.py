"""Step 3 writes: 1:1s, their calendar invitations and action items.

Every service validates first and changes all or nothing; a problem is a ValidationError with a
message the form can show in place. Emails leave only after the transaction commits.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from home.core.mail import email_queue

from ..data_version import bump_data_version
from ..models import ActionItem, Member, OneOnOne, Team
from ..rules import add_months, month_end, month_start

EARLIEST_MONTH = datetime.date(2000, 1, 1)
HOLD_WINDOW_DAYS = 92  # a 1:1 about a month happens from its first day to about a quarter after it
MAX_DUE_DAYS = 366
TIMEZONE_SPAN = datetime.timedelta(days=370)  # of the VTIMEZONE around the 1:1


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


class OneOnOneConflict(ValidationError):
    """The 1:1 was saved (another tab, a co-leader) after the form was opened: nothing was written.
    `saved` is the 1:1 as stored now, so the page can show their notes beside the leader's."""

    def __init__(self, saved: OneOnOne):
        super().__init__(
            "Someone saved this 1:1 after you opened the page (another tab or a co-leader), so nothing was "
            "saved. Their notes are shown below and yours are still in the box: combine them and save again."
        )
        self.saved = saved


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
    if one_on_one.cancelled_at is not None or (
        one_on_one.scheduled_at is not None and one_on_one.scheduled_at != scheduled_at
    ):
        one_on_one.sequence += 1  # moved, or booked again after a cancel: calendars replace the earlier one
    one_on_one.scheduled_at = scheduled_at
    one_on_one.cancelled_at = None
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
    version: int | None = None,
) -> OneOnOne:
    """Record that the 1:1 about `month` took place: private notes, whether the gap to standard was
    discussed, a snapshot of the agenda's numbers, new action items ({owner, text, due_on}) and the
    earlier items closed in it. All or nothing. `version` is the 1:1's version the form was opened
    at: when the 1:1 was saved since, OneOnOneConflict is raised and nothing is written."""
    now = now or timezone.now()
    check_member(team, member)
    check_month(month, today=timezone.localdate(now))
    _check_in_window(held_at, month, "held_at")
    if held_at > now + datetime.timedelta(hours=12):
        raise ValidationError({"held_at": "A 1:1 cannot be recorded as held in the future; schedule it instead."})
    one_on_one = OneOnOne.objects.select_for_update().filter(member=member, month=month).first() or OneOnOne(
        team=team, member=member, month=month
    )
    if version is not None and one_on_one.version != version:
        raise OneOnOneConflict(one_on_one)
    one_on_one.version += 1
    one_on_one.held_at = held_at
    one_on_one.cancelled_at = None  # recorded as held: it took place after all
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
        bump_data_version()  # update() sends no signal: the kept agenda lists these items
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


def _calendar_address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    return address


def one_on_one_ics(*, one_on_one: OneOnOne, duration_minutes: int = 30, now: datetime.datetime | None = None) -> bytes:
    """A calendar invitation (RFC 5545/5546, as program.webinars.ics builds them) for a scheduled
    1:1: METHOD:REQUEST, the leader as ORGANIZER, the member as ATTENDEE when they have an email,
    a UID stable for the 1:1 and a SEQUENCE one higher at every move, so a moved 1:1 replaces
    itself. Times are in the leader's time zone, with its VTIMEZONE (a year either side only:
    vobject misreads long RDATE lists). A cancelled 1:1 gives METHOD:CANCEL with STATUS:CANCELLED
    (same UID, its raised SEQUENCE), which removes the event from the member's calendar."""
    cancelled = one_on_one.cancelled_at is not None
    if one_on_one.scheduled_at is None:
        raise ValidationError("Schedule the 1:1 before sending an invitation.")
    team = one_on_one.team
    leader = team.leader
    zone = ZoneInfo(leader.time_zone or settings.TIME_ZONE)
    starts = timezone.localtime(one_on_one.scheduled_at, zone)
    ends = starts + datetime.timedelta(minutes=duration_minutes)
    cal = Calendar()
    cal.add("prodid", "-//Huddle//Tracker 1:1s//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(
        Timezone.from_tzinfo(
            zone, str(zone), first_date=(starts - TIMEZONE_SPAN).date(), last_date=(ends + TIMEZONE_SPAN).date()
        )
    )
    event = Event()
    event.add("uid", one_on_one.ics_uid)
    event.add("sequence", one_on_one.sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", ends)
    leader_name = leader.get_full_name() or leader.email
    event.add("summary", f"1:1 {one_on_one.member.name} / {leader_name}")
    event.add("description", f"Our monthly 1:1 about {one_on_one.month:%B %Y}: your numbers, what helps, next steps.")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _calendar_address(leader.email, leader_name)
    if one_on_one.member.email:
        attendee = _calendar_address(one_on_one.member.email, one_on_one.member.name)
        attendee.params["role"] = "REQ-PARTICIPANT"
        if not cancelled:  # a cancel asks for no reply
            attendee.params["partstat"] = "NEEDS-ACTION"
            attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical()


def one_on_one_invite_send(*, one_on_one: OneOnOne) -> list[str]:
    """Email the .ics to the member (when they have an address) and to the leader, from the
    task queue once the transaction commits. Returns the addresses."""
    if one_on_one.cancelled_at is not None:
        raise ValidationError("This 1:1 is cancelled: schedule it again before sending an invitation.")
    ics = one_on_one_ics(one_on_one=one_on_one)
    recipients = [a for a in (one_on_one.member.email, one_on_one.team.leader.email) if a]
    when = timezone.localtime(one_on_one.scheduled_at, ZoneInfo(one_on_one.team.leader.time_zone or settings.TIME_ZONE))
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
    transaction.on_commit(lambda: email_queue(message))
    return recipients


def one_on_one_cancel(*, one_on_one: OneOnOne, now: datetime.datetime | None = None) -> list[str]:
    """Cancel a scheduled 1:1 and email the member (and the leader) a METHOD:CANCEL for the same
    UID with a higher SEQUENCE, from the task queue once the transaction commits. Returns the
    addresses. The row and its notes, agenda and action items are kept, marked cancelled; it is
    no longer held (held_at is cleared, so step 3, consistency and the "1:1s left" reminders
    count it as not done). Scheduling it again, or recording it as held, lifts the cancel."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = OneOnOne.objects.select_for_update().select_related("member", "team__leader").get(pk=one_on_one.pk)
        if locked.scheduled_at is None:
            raise ValidationError("Only a scheduled 1:1 can be cancelled.")
        if locked.cancelled_at is not None:
            raise ValidationError("This 1:1 is already cancelled.")
        locked.sequence += 1
        locked.cancelled_at = now
        locked.held_at = None
        locked.save(update_fields=["sequence", "cancelled_at", "held_at"])
        ics = one_on_one_ics(one_on_one=locked, now=now)
        recipients = [a for a in (locked.member.email, locked.team.leader.email) if a]
        when = timezone.localtime(locked.scheduled_at, ZoneInfo(locked.team.leader.time_zone or settings.TIME_ZONE))
        message = EmailMessage(
            subject=f"Cancelled: 1:1 on {when:%A %-d %B at %H:%M}",
            body=(
                f"Hello {locked.member.name},\n\nOur 1:1 about {locked.month:%B} on {when:%A %-d %B at %H:%M} "
                "is cancelled. The attached file removes it from your calendar; a new time will follow.\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        message.attach("one-on-one.ics", ics, "text/calendar")
        transaction.on_commit(lambda: email_queue(message))
    one_on_one.refresh_from_db()
    return recipients

"""1:1 calendar invitations are valid RFC 5545/5546 requests (checked with icalendar and vobject),
and two tabs can no longer overwrite each other's 1:1 notes."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.models import OneOnOne

from .test_one_on_ones import LAST, hold_post, hold_url

ZONE = ZoneInfo("America/Chicago")


def _schedule(team, member, day=12, hour=15):
    when = datetime.datetime(LAST.year, LAST.month, day, hour, 0, tzinfo=ZONE) + datetime.timedelta(days=31)
    return services.one_on_one_schedule(team=team, member=member, month=LAST, scheduled_at=when)


def _event(ics: bytes):
    cal = icalendar.Calendar.from_ical(ics)
    return cal, next(c for c in cal.walk("VEVENT"))


def test_invitation_is_a_valid_request_with_organizer_attendee_and_timezone(team, members, metrics, leader):
    leader.time_zone = "America/Chicago"
    leader.save()
    one = _schedule(team, members[0])
    ics = services.one_on_one_ics(one_on_one=OneOnOne.objects.select_related("team__leader", "member").get(pk=one.pk))
    cal, event = _event(ics)
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == f"tracker-1on1-{one.pk}@huddle"
    assert int(event["sequence"]) == 0
    assert "dtstamp" in event
    assert str(event["organizer"]) == f"mailto:{leader.email}"
    attendee = event["attendee"]
    assert str(attendee) == "mailto:ana@example.com" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    tzids = [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    assert tzids == ["America/Chicago"] and event["dtstart"].params["TZID"] == "America/Chicago"
    assert event.decoded("dtstart") == one.scheduled_at
    # vobject reads the same instant (its own VTIMEZONE handling)
    parsed = vobject.readOne(ics.decode())
    assert parsed.vevent.dtstart.value == one.scheduled_at
    assert parsed.vevent.dtend.value - parsed.vevent.dtstart.value == datetime.timedelta(minutes=30)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.organizer.value == f"mailto:{leader.email}"


def test_a_member_without_email_is_not_an_attendee(team, members, metrics):
    one = _schedule(team, members[2])  # Cy Lane has no email
    _, event = _event(services.one_on_one_ics(one_on_one=one))
    assert "attendee" not in event and "organizer" in event


def test_moving_the_1on1_keeps_the_uid_and_raises_the_sequence(team, members, metrics):
    one = _schedule(team, members[0])
    uid = _event(services.one_on_one_ics(one_on_one=one))[1]["uid"]
    _schedule(team, members[0])  # same time again: not a move
    moved = _schedule(team, members[0], day=14)
    assert moved.pk == one.pk and moved.sequence == 1
    _, event = _event(services.one_on_one_ics(one_on_one=moved))
    assert event["uid"] == uid and int(event["sequence"]) == 1
    assert int(_event(services.one_on_one_ics(one_on_one=_schedule(team, members[0], day=15)))[1]["sequence"]) == 2


def test_invitation_email_goes_through_the_queue_with_the_ics(
    team, members, metrics, leader_client, django_capture_on_commit_callbacks
):
    one = _schedule(team, members[0])
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(reverse("tracker:one_on_one_invite", args=[team.pk, one.pk]))
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "one-on-one.ics" and mimetype == "text/calendar"
    assert b"METHOD:REQUEST" in (content if isinstance(content, bytes) else content.encode())


def test_two_tabs_cannot_overwrite_each_others_notes(team, members, metrics, leader_client):
    ana = members[0]
    url = hold_url(team, ana)
    page = leader_client.get(url).content.decode()
    assert 'name="hold-version" value="0"' in page
    first = leader_client.post(url, hold_post(**{"hold-notes": "Tab A: pipeline review.", "hold-version": "0"}))
    assert first.status_code == 302
    # tab B was opened before tab A saved: its save is refused, and both texts are on the page
    second = leader_client.post(url, hold_post(**{"hold-notes": "Tab B: coaching plan.", "hold-version": "0"}))
    assert second.status_code == 409
    html = second.content.decode()
    assert "Tab A: pipeline review." in html and "Tab B: coaching plan." in html
    assert "nothing was saved" in html
    assert OneOnOne.objects.get(member=ana).notes == "Tab A: pipeline review."
    # saving again from the conflict page (it carries the new version) takes the leader's text
    assert 'name="hold-version" value="1"' in html
    third = leader_client.post(url, hold_post(**{"hold-notes": "Both: pipeline and coaching.", "hold-version": "1"}))
    assert third.status_code == 302
    assert OneOnOne.objects.get(member=ana).notes == "Both: pipeline and coaching."


def test_a_conflict_saves_no_action_items_either(team, members, metrics, leader_client):
    ana = members[0]
    url = hold_url(team, ana)
    leader_client.post(url, hold_post(**{"hold-version": "0"}))
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = leader_client.post(
        url, hold_post(**{"hold-version": "0", "items-0-text": "Call the lender", "items-0-due_on": due})
    )
    assert response.status_code == 409
    assert not ana.action_items.filter(text="Call the lender").exists()
    assert "Call the lender" in response.content.decode()  # still in the form, not lost

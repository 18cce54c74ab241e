"""Calendar invitations (.ics) for webinar registrations, built with the icalendar library, and
"add to calendar" links for Google Calendar and Outlook.com.

RFC 5546 (iTIP): a REQUEST or CANCEL names the ORGANIZER and the registrant as ATTENDEE, so
calendars treat it as an invitation (and a CANCEL removes the same event, by UID). The VTIMEZONE
covers a year either side of the session only: with the full 1970-2038 history, some parsers
(vobject, which uses dateutil) read the long RDATE lists wrongly and show the time an hour off.
"""

from datetime import UTC, timedelta
from email.mime.text import MIMEText
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .models import WebinarRegistration

TIMEZONE_SPAN = timedelta(days=370)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    return address


def registration_ics(*, registration: WebinarRegistration, join_link: str, cancelled: bool = False) -> bytes:
    """One VEVENT whose UID is stable per registration and whose SEQUENCE is the session's
    schedule version, so a calendar replaces the earlier invitation instead of adding another."""
    session = registration.session
    page = session.page
    zone = session.zone
    cal = Calendar()
    cal.add("prodid", "-//Huddle//Webinars//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(
        Timezone.from_tzinfo(
            zone,
            str(zone),
            first_date=(session.starts_at - TIMEZONE_SPAN).date(),
            last_date=(session.ends_at + TIMEZONE_SPAN).date(),
        )
    )
    event = Event()
    event.add("uid", registration.ics_uid)
    event.add("sequence", session.schedule_version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, zone))
    event.add("dtend", timezone.localtime(session.ends_at, zone))
    event.add("summary", page.title)
    event.add("description", f"{page.summary}\n\nJoin: {join_link}")
    event.add("location", join_link)
    event.add("url", join_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _address(settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip(), page.presenter)
    attendee = _address(registration.email, registration.name)
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if cancelled else "ACCEPTED"  # they registered (or cancelled) themselves
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical()


def ics_attachment(ics: bytes, *, method: str) -> MIMEText:
    """The .ics as one MIME part whose Content-Type names its charset once
    (text/calendar; charset="utf-8"; method=REQUEST)."""
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method, requote=False)
    part.add_header("Content-Disposition", "attachment", filename="webinar.ics")
    return part


def calendar_links(*, registration: WebinarRegistration, join_link: str) -> dict[str, str]:
    """ "Add to Google Calendar" and "Add to Outlook.com" links for the session."""
    session, page = registration.session, registration.session.page
    start, end = session.starts_at.astimezone(UTC), session.ends_at.astimezone(UTC)
    details = f"{page.summary}\n\nJoin: {join_link}"
    google = {
        "action": "TEMPLATE",
        "text": page.title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": join_link,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": page.title,
        "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": details,
        "location": join_link,
    }
    return {
        "google_calendar_url": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook_calendar_url": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(outlook),
    }

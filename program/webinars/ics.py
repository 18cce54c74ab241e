"""Calendar invitations (.ics) for webinar registrations, built with the icalendar library."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import WebinarRegistration


def registration_ics(*, registration: WebinarRegistration, join_link: str, cancelled: bool = False) -> bytes:
    """One VEVENT whose UID is stable per registration and whose SEQUENCE is the session's
    schedule version, so a calendar replaces the earlier invitation instead of adding another."""
    session = registration.session
    page = session.page
    cal = Calendar()
    cal.add("prodid", "-//Huddle//Webinars//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", registration.ics_uid)
    event.add("sequence", session.schedule_version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, session.zone))
    event.add("dtend", timezone.localtime(session.ends_at, session.zone))
    event.add("summary", page.title)
    event.add("description", f"{page.summary}\n\nJoin: {join_link}")
    event.add("location", join_link)
    event.add("url", join_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(page.presenter)
    event["organizer"] = organizer
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()

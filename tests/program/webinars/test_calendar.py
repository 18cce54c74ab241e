"""Invitations calendars accept: ORGANIZER and ATTENDEE (RFC 5546), one charset in the
attachment's Content-Type, a VTIMEZONE two parsers read the same, and Google/Outlook links."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.core import mail
from icalendar import Calendar

from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_register, webinar_registration_cancel
from tests.program.webinars.factories import ics_attachment, webinar


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def session_in(home_page, zone: str, local: datetime):
    start = local.replace(tzinfo=ZoneInfo(zone))
    return webinar(
        home_page,
        title=f"Session {zone}",
        slug=f"s-{zone.replace('/', '-').lower()}-{local:%m%d}",
        sessions=[{"starts_at": start, "time_zone": zone}],
    ).sessions.get()


@pytest.fixture
def session(home_page):
    return session_in(home_page, "Europe/London", datetime.now().replace(microsecond=0) + timedelta(days=30))


def register(session) -> WebinarRegistration:
    mail.outbox.clear()
    return webinar_register(session_id=session.pk, email="ana@example.com", name="Ana Ruiz")


@pytest.mark.django_db
def test_request_and_cancel_name_organizer_and_attendee(session):
    registration = register(session)
    event = Calendar.from_ical(ics_attachment(mail.outbox[0])[0]).walk("VEVENT")[0]
    assert str(event["organizer"]).startswith("mailto:")
    attendee = event["attendee"]
    assert str(attendee) == "mailto:ana@example.com"
    assert attendee.params["CN"] == "Ana Ruiz" and attendee.params["ROLE"] == "REQ-PARTICIPANT"
    mail.outbox.clear()
    webinar_registration_cancel(registration=registration)
    content, content_type = ics_attachment(mail.outbox[0])
    cancel = Calendar.from_ical(content)
    assert cancel["method"] == "CANCEL"
    event = cancel.walk("VEVENT")[0]
    assert str(event["attendee"]) == "mailto:ana@example.com" and str(event["organizer"]).startswith("mailto:")
    assert event["uid"] == registration.ics_uid


@pytest.mark.django_db
def test_attachment_content_type_has_one_charset(session):
    register(session)
    _, content_type = ics_attachment(mail.outbox[0])
    assert len(re.findall(r"charset", content_type, re.I)) == 1, content_type
    assert "method=REQUEST" in content_type
    raw = mail.outbox[0].message().as_string()
    header = next(line for line in raw.splitlines() if line.lower().startswith("content-type: text/calendar"))
    assert header.lower().count("charset") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Europe/London", datetime(2027, 1, 12, 14, 0)),  # GMT: the case one parser read an hour off
        ("Europe/London", datetime(2027, 7, 12, 14, 0)),  # BST
        ("America/New_York", datetime(2027, 3, 16, 12, 0)),  # just after the spring change
        ("Australia/Sydney", datetime(2027, 10, 5, 9, 0)),
        ("Asia/Kolkata", datetime(2027, 5, 5, 18, 30)),
    ],
)
def test_icalendar_and_vobject_read_the_same_instant(home_page, zone, local):
    session = session_in(home_page, zone, local)
    register(session)
    content, _ = ics_attachment(mail.outbox[0])
    expected = session.starts_at.astimezone(UTC)
    by_icalendar = Calendar.from_ical(content).walk("VEVENT")[0]["dtstart"].dt.astimezone(UTC)
    by_vobject = vobject.readOne(content.decode()).vevent.dtstart.value.astimezone(UTC)
    assert by_icalendar == by_vobject == expected


@pytest.mark.django_db
def test_confirmation_offers_google_and_outlook_links(session):
    register(session)
    message = mail.outbox[0]
    google = re.search(r"https://calendar\.google\.com/calendar/render\?\S+", message.body).group(0)
    query = parse_qs(urlsplit(google).query)
    start = session.starts_at.astimezone(UTC)
    assert query["action"] == ["TEMPLATE"] and query["dates"][0].startswith(f"{start:%Y%m%dT%H%M%SZ}/")
    outlook = re.search(r"https://outlook\.live\.com/calendar/0/deeplink/compose\?\S+", message.body).group(0)
    assert parse_qs(urlsplit(outlook).query)["startdt"] == [start.strftime("%Y-%m-%dT%H:%M:%SZ")]
    html = message.alternatives[0][0]
    assert "Google Calendar" in html and "Outlook.com" in html

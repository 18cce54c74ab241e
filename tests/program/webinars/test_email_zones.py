"""Webinar emails print the session's time on the registrant's own clock, with the zone named,
including when their date is not New York's (Monday noon in New York is Tuesday 2 AM in Tokyo)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from program.webinars.emails import build_webinar_email
from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_register
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db
NOON_NEW_YORK = datetime(2027, 3, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))  # Monday, before US DST


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.mark.parametrize(
    "zone, expected",
    [
        ("Asia/Tokyo", "Tuesday, March 2, 2027, 2:00 AM (Asia/Tokyo)"),
        ("Europe/Berlin", "Monday, March 1, 2027, 6:00 PM (Europe/Berlin)"),
        ("America/Chicago", "Monday, March 1, 2027, 11:00 AM (America/Chicago)"),
        ("", "Monday, March 1, 2027, 12:00 PM (America/New_York)"),  # no zone given: the session's
    ],
)
def test_confirmation_and_reminder_in_the_registrants_zone(home_page, zone, expected):
    page = webinar(home_page, sessions=[{"starts_at": NOON_NEW_YORK, "capacity": 10}])
    webinar_register(session_id=page.sessions.get().pk, email="rep@example.com", name="Rep", time_zone=zone)
    confirmation = mail.outbox[-1]
    assert expected in confirmation.body
    assert expected.replace(" (", "</strong> (") in confirmation.alternatives[0][0]
    reminder = build_webinar_email(registration=WebinarRegistration.objects.get(), kind="reminder_24h")
    assert expected in reminder.body

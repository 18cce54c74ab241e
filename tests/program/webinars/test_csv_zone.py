"""The webinar registrations CSV names its time zone (the coach's, as on the page) and uses it."""

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from program.webinars.services import webinar_register
from tests.factories import StaffFactory
from tests.program.webinars.test_admin import session  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_registrations_csv_states_its_zone(client, session):  # noqa: F811
    registration = webinar_register(session_id=session.pk, email="a@example.com", name="A")
    client.force_login(StaffFactory(time_zone="America/Los_Angeles"))
    text = client.get(reverse("webinar_admin_session", args=[session.pk]) + "?format=csv").content.decode()
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    zone = header[6].split("(")[1].rstrip(")")
    assert header[6] == f"registered ({zone})" and header[7] == f"attended ({zone})"
    expected = timezone.localtime(registration.created_at, timezone=ZoneInfo(zone))
    assert row[6] == expected.isoformat(timespec="seconds")

"""Attendance from the meeting: Zoom and Google Meet participant exports (preview, all or
nothing, row/column messages), bulk "mark attended", and replay emails waiting for it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from program.webinars.attendance_csv import attendance_csv_read
from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_attendance_import, webinar_register, webinar_registration_cancel
from tests.factories import StaffFactory, UserFactory
from tests.program.webinars.factories import webinar

# Zoom's meeting participants report, exported "with meeting data": the summary comes first.
ZOOM = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Five strategies,11/20/2026 12:00:00 PM,11/20/2026 01:02:00 PM,host@huddle.test,62,4

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room
Ana Ruiz (Ana's iPhone),ANA@example.com,11/20/2026 12:01:10 PM,11/20/2026 12:40:00 PM,39,Yes,No
Ana Ruiz,ana@example.com,11/20/2026 12:41:00 PM,11/20/2026 01:01:00 PM,20,Yes,No
Ben Cole,ben@example.com,11/20/2026 12:05:00 PM,11/20/2026 12:20:00 PM,15,Yes,No
Dial-in user,,11/20/2026 12:03:00 PM,11/20/2026 01:00:00 PM,57,Yes,No
Forwarded Friend,friend@example.com,11/20/2026 12:02:00 PM,11/20/2026 01:00:00 PM,58,Yes,No
"""

# Google Meet's attendance report (Workspace), downloaded as CSV.
MEET = """First name,Last name,Email,Duration,Time joined,Time exited
Ana,Ruiz,ana@example.com,1 hr 1 min,12:00 PM,1:01 PM
Ben,Cole,ben@example.com,14 min,12:05 PM,12:19 PM
"""


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def session(home_page):
    return webinar(home_page, sessions=[{"starts_at": timezone.now() + timedelta(days=1)}]).sessions.get()


@pytest.fixture
def people(session):
    return {
        name: webinar_register(session_id=session.pk, email=f"{name}@example.com", name=name.title())
        for name in ("ana", "ben", "cy")
    }


@pytest.fixture
def staff_client(db, client):
    client.force_login(StaffFactory())
    return client


def test_zoom_export_sums_rejoins_and_skips_the_meeting_summary():
    parsed = attendance_csv_read(ZOOM.encode())
    assert parsed.source == "Zoom"
    assert [(r.email, r.minutes) for r in parsed.rows] == [
        ("ana@example.com", 59),
        ("ben@example.com", 15),
        ("friend@example.com", 58),
    ]
    assert parsed.rows[0].name == "Ana Ruiz"
    assert parsed.without_email == 1


def test_zoom_webinar_attendee_report_and_utf8_bom():
    data = "\ufeffUser Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes)\nAna,ana@example.com,x,y,42\n"
    assert [(r.email, r.minutes) for r in attendance_csv_read(data.encode()).rows] == [("ana@example.com", 42)]


def test_meet_export_reads_hours_and_minutes():
    parsed = attendance_csv_read(MEET.encode())
    assert parsed.source == "Google Meet"
    assert [(r.email, r.name, r.minutes) for r in parsed.rows] == [
        ("ana@example.com", "Ana Ruiz", 61),
        ("ben@example.com", "Ben Cole", 14),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (MEET.replace("14 min", "a while"), "Row 3, column 'duration': 'a while' is not a duration."),
        (MEET.replace("ben@example.com", "ben at example"), "Row 3, column 'email': 'ben at example' is not an email"),
        ("name,score\nAna,3\n", "No participant columns found"),
        (b"\xff\xfe\x00\xd8broken", "not text in UTF-8"),
        ("First name,Last name,Email,Duration\n,,,\n", "no participants with an email"),
    ],
)
def test_bad_files_are_refused_whole_with_row_and_column(data, message):
    with pytest.raises(ValidationError) as exc:
        attendance_csv_read(data if isinstance(data, bytes) else data.encode())
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_import_marks_registrations_with_minutes_and_is_idempotent(session, people):
    webinar_registration_cancel(registration=people["cy"])
    rows = [("ANA@example.com", 59), ("ben@example.com", 15), ("cy@example.com", 60), ("friend@example.com", 58)]
    result = webinar_attendance_import(session_id=session.pk, rows=rows)
    assert (result.matched, result.newly_attended) == (2, 2)
    assert result.not_registered == ["cy@example.com", "friend@example.com"]  # cancelled people are not counted
    ana = WebinarRegistration.objects.get(pk=people["ana"].pk)
    assert ana.attended_at == session.starts_at and ana.attended_minutes == 59
    again = webinar_attendance_import(session_id=session.pk, rows=rows)
    assert again.newly_attended == 0
    assert WebinarRegistration.objects.filter(attended_at__isnull=False).count() == 2


def test_admin_upload_previews_then_imports(staff_client, session, people):
    url = reverse("webinar_admin_attendance", args=[session.pk])
    response = staff_client.post(url, {"file": SimpleUploadedFile("participants.csv", ZOOM.encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: Zoom export" in html and "left early" in html and "No registration" in html
    assert not WebinarRegistration.objects.filter(attended_at__isnull=False).exists()  # nothing yet
    payload = response.context["payload"]
    response = staff_client.post(url, {"payload": payload})
    assert response.status_code == 302
    attended = dict(
        WebinarRegistration.objects.filter(attended_at__isnull=False).values_list("email", "attended_minutes")
    )
    assert attended == {"ana@example.com": 59, "ben@example.com": 15}


def test_admin_refuses_a_bad_file_whole_and_a_forged_preview(staff_client, session, people):
    url = reverse("webinar_admin_attendance", args=[session.pk])
    bad = MEET.replace("14 min", "soon")
    html = staff_client.post(url, {"file": SimpleUploadedFile("a.csv", bad.encode())}).content.decode()
    assert "This file was not imported" in html and "Row 3" in html
    assert not WebinarRegistration.objects.filter(attended_at__isnull=False).exists()
    response = staff_client.post(url, {"payload": "forged:payload"}, follow=True)
    assert "expired or was changed" in response.content.decode()
    assert not WebinarRegistration.objects.filter(attended_at__isnull=False).exists()


def test_attendance_pages_are_for_the_coach_only(db, client, session):
    client.force_login(UserFactory())
    assert client.get(reverse("webinar_admin_attendance", args=[session.pk])).status_code in (302, 403)
    assert client.post(reverse("webinar_admin_attendance_bulk", args=[session.pk])).status_code in (302, 403)


def test_unknown_session_is_404_not_500(staff_client):
    assert staff_client.get(reverse("webinar_admin_attendance", args=[987654])).status_code == 404
    assert staff_client.get(reverse("webinar_admin_session", args=[987654])).status_code == 404


def test_bulk_mark_attended_and_clear(staff_client, session, people, home_page):
    other = webinar(home_page, title="Other", sessions=[{"starts_at": timezone.now() + timedelta(days=2)}])
    stranger = webinar_register(session_id=other.sessions.get().pk, email="z@example.com", name="Z")
    url = reverse("webinar_admin_attendance_bulk", args=[session.pk])
    ids = [people["ana"].pk, people["ben"].pk, stranger.pk]
    staff_client.post(url, {"registration": ids, "action": "attended"})
    attended = set(WebinarRegistration.objects.filter(attended_at__isnull=False).values_list("email", flat=True))
    assert attended == {"ana@example.com", "ben@example.com"}  # the other session's id is ignored
    staff_client.post(url, {"registration": [people["ben"].pk], "action": "not_attended"})
    assert set(WebinarRegistration.objects.filter(attended_at__isnull=False).values_list("email", flat=True)) == {
        "ana@example.com"
    }
    response = staff_client.post(url, {"action": "attended"}, follow=True)
    assert "Tick at least one person" in response.content.decode()

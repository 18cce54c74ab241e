import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from icalendar import Calendar

from program.webinars.dispatch import LEASE, webinar_emails_dispatch
from program.webinars.models import WebinarEmail, WebinarRegistration
from program.webinars.services import webinar_register
from tests.program.webinars.factories import ics_attachment, tx_home_page, webinar


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def session(home_page):
    page = webinar(home_page, sessions=[{"starts_at": timezone.now() + timedelta(days=3), "capacity": 2}])
    return page.sessions.get()


def register(session, n):
    return webinar_register(session_id=session.pk, email=f"p{n}@example.com", name=f"Person {n}")


def subjects():
    return sorted(m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_reminders_go_out_once_each_at_their_time(session):
    register(session, 1)
    mail.outbox.clear()
    start = session.starts_at
    assert webinar_emails_dispatch(now=start - timedelta(hours=25)) == {}
    assert webinar_emails_dispatch(now=start - timedelta(hours=23)) == {"reminder_24h": 1}
    assert webinar_emails_dispatch(now=start - timedelta(hours=22)) == {}
    assert webinar_emails_dispatch(now=start - timedelta(minutes=50)) == {"reminder_1h": 1}
    assert webinar_emails_dispatch(now=start - timedelta(minutes=40)) == {}
    assert subjects() == ["Starting in one hour: Five strategies", "Tomorrow: Five strategies"]
    assert "/webinar/join/" in mail.outbox[0].body


@pytest.mark.django_db
def test_late_registrant_gets_no_stale_reminder(session):
    late = register(session, 1)
    WebinarRegistration.objects.filter(pk=late.pk).update(seated_at=session.starts_at - timedelta(hours=5))
    mail.outbox.clear()
    assert webinar_emails_dispatch(now=session.starts_at - timedelta(hours=4)) == {}
    assert webinar_emails_dispatch(now=session.starts_at - timedelta(minutes=30)) == {"reminder_1h": 1}


@pytest.mark.django_db
def test_waitlisted_and_cancelled_get_no_reminder(session):
    register(session, 1)
    register(session, 2)
    register(session, 3)  # waitlisted
    WebinarRegistration.objects.filter(email="p2@example.com").update(status=WebinarRegistration.Status.CANCELLED)
    session.capacity = 1  # still full, so nobody is promoted from the waitlist
    session.save()
    mail.outbox.clear()
    assert webinar_emails_dispatch(now=session.starts_at - timedelta(hours=23)) == {"reminder_24h": 1}
    assert mail.outbox[0].to == ["Person 1 <p1@example.com>"]


@pytest.mark.django_db
def test_command_runs_twice_sends_once(session):
    register(session, 1)
    mail.outbox.clear()
    from unittest import mock

    fake_now = session.starts_at - timedelta(hours=23)
    with mock.patch("program.webinars.dispatch.timezone.now", return_value=fake_now):
        call_command("send_webinar_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_webinar_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert subjects() == ["Tomorrow: Five strategies"]
    assert WebinarEmail.objects.get().sent_at is not None


@pytest.mark.django_db
def test_crashed_claim_is_taken_over_after_the_lease_but_not_before(session):
    registration = register(session, 1)
    mail.outbox.clear()
    now = session.starts_at - timedelta(hours=23)
    # Another run claimed the email and then died before sending.
    WebinarEmail.objects.create(
        registration=registration, kind="reminder_24h:v0", claimed_at=now - timedelta(minutes=2)
    )
    assert webinar_emails_dispatch(now=now) == {}  # still within its lease: not ours to send
    assert webinar_emails_dispatch(now=now + LEASE + timedelta(minutes=1)) == {"reminder_24h": 1}
    assert webinar_emails_dispatch(now=now + LEASE + timedelta(minutes=5)) == {}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_replay_wording_depends_on_attendance(session):
    attended = register(session, 1)
    register(session, 2)
    WebinarRegistration.objects.filter(pk=attended.pk).update(attended_at=timezone.now())
    after = session.ends_at + timedelta(hours=2)  # attendance is final (WEBINAR_ATTENDANCE_FINAL_AFTER_MINUTES)
    mail.outbox.clear()
    assert webinar_emails_dispatch(now=after) == {}  # no replay URL yet
    session.replay_url = "https://video.example.com/replay"
    session.save()
    # Before attendance is final nobody is told they were missed: the import may still come.
    assert webinar_emails_dispatch(now=after - timedelta(minutes=1)) == {}
    assert webinar_emails_dispatch(now=after) == {"replay_attended": 1, "replay_missed": 1}
    assert webinar_emails_dispatch(now=after + timedelta(hours=1)) == {}
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Thank you for spending the hour" in by_to["Person 1 <p1@example.com>"].body
    assert "We missed you" in by_to["Person 2 <p2@example.com>"].body
    assert "https://video.example.com/replay" in by_to["Person 2 <p2@example.com>"].body


@pytest.mark.django_db
def test_moving_a_session_sends_an_update_with_the_same_uid(session):
    registration = register(session, 1)
    first_uid = Calendar.from_ical(ics_attachment(mail.outbox[0])[0]).walk("VEVENT")[0]["uid"]
    mail.outbox.clear()
    session.starts_at += timedelta(days=1)
    session.save()
    session.refresh_from_db()
    assert session.schedule_version == 1
    assert webinar_emails_dispatch() == {"update": 1}
    assert webinar_emails_dispatch() == {}
    event = Calendar.from_ical(ics_attachment(mail.outbox[0])[0]).walk("VEVENT")[0]
    assert event["uid"] == first_uid == registration.ics_uid
    assert event["sequence"] == 1
    assert event["dtstart"].dt == session.starts_at.replace(microsecond=0)
    # Reminders follow the new time.
    assert webinar_emails_dispatch(now=session.starts_at - timedelta(hours=23)) == {"reminder_24h": 1}


@pytest.mark.django_db
def test_called_off_session_tells_registrants_once(session):
    register(session, 1)
    mail.outbox.clear()
    session.is_cancelled = True
    session.save()
    assert webinar_emails_dispatch() == {"session_cancelled": 1}
    assert webinar_emails_dispatch() == {}
    assert "method=CANCEL" in ics_attachment(mail.outbox[0])[1]


@pytest.mark.django_db
def test_raised_capacity_promotes_the_waitlist(session):
    for n in range(3):
        register(session, n)
    session.capacity = 3
    session.save()
    webinar_emails_dispatch()
    assert WebinarRegistration.objects.filter(status=WebinarRegistration.Status.REGISTERED).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_each_email_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")
    page = webinar(tx_home_page(), sessions=[{"starts_at": timezone.now() + timedelta(days=3), "capacity": 40}])
    session = page.sessions.get()
    for n in range(40):
        register(session, n)
    mail.outbox.clear()
    now = session.starts_at - timedelta(hours=23)
    barrier = threading.Barrier(3)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(webinar_emails_dispatch(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.get("reminder_24h", 0) for r in results) == 40
    assert len(mail.outbox) == 40
    assert len({m.to[0] for m in mail.outbox}) == 40

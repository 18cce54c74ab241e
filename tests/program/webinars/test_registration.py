import threading
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_register, webinar_registration_cancel
from program.webinars.tokens import CANCEL_SALT, JOIN_SALT, make_token
from tests.program.webinars.factories import ics_attachment, tx_home_page, webinar

Status = WebinarRegistration.Status


def form_data(chosen, **overrides):
    data = {
        "session": chosen.pk,
        "name": "Rosa Delgado",
        "email": "rosa@example.com",
        "company": "Summit Homes",
        "role": "Sales Manager",
        "team_size": "6-10",
        "question": "How do I start the monthly 1:1s?",
        "time_zone": "Europe/Berlin",
    }
    data.update(overrides)
    return data


def ics_of(message):
    content, content_type = ics_attachment(message)
    assert content_type.startswith("text/calendar")
    return Calendar.from_ical(content)


def event_of(message):
    return ics_of(message).walk("VEVENT")[0]


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    # Tests run inside one transaction that never commits; run commit hooks (emails) right away.
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def page(home_page):
    return webinar(home_page)


@pytest.fixture
def session(page):
    return page.sessions.get()


@pytest.mark.django_db
class TestRegisterThroughThePage:
    def test_registers_and_emails_confirmation_with_ics(self, client, page, session):
        response = client.post(page.url, form_data(session))
        assert response.status_code == 302
        registration = WebinarRegistration.objects.get()
        assert registration.status == Status.REGISTERED
        assert (registration.email, registration.company, registration.time_zone) == (
            "rosa@example.com",
            "Summit Homes",
            "Europe/Berlin",
        )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == "You're registered: Five strategies"
        html = message.alternatives[0][0]
        assert "Join the webinar" in html and "/webinar/join/" in html and "/webinar/cancel/" in html
        assert "Europe/Berlin" in message.body  # the time is in the registrant's zone, named
        assert session.join_url not in message.body  # only the signed redirect, which records attendance
        event = event_of(message)
        assert str(event["uid"]) == registration.ics_uid
        assert event["dtstart"].dt == session.starts_at.replace(microsecond=0)
        assert event["dtstart"].params["TZID"] == "America/New_York"
        assert ics_of(message).walk("VTIMEZONE")

    def test_registering_twice_keeps_one_registration_and_sends_a_fresh_confirmation(self, client, page, session):
        client.post(page.url, form_data(session))
        client.post(page.url, form_data(session, email="ROSA@example.com", name="Rosa D."))
        assert WebinarRegistration.objects.count() == 1
        assert WebinarRegistration.objects.get().name == "Rosa D."
        assert len(mail.outbox) == 2
        assert str(event_of(mail.outbox[0])["uid"]) == str(event_of(mail.outbox[1])["uid"])

    def test_full_session_puts_people_on_the_waitlist_in_order(self, page, session):
        session.capacity = 2
        session.save()
        for n in range(4):
            webinar_register(session_id=session.pk, email=f"p{n}@example.com", name=f"P{n}")
        statuses = list(WebinarRegistration.objects.order_by("pk").values_list("status", flat=True))
        assert statuses == [Status.REGISTERED, Status.REGISTERED, Status.WAITLISTED, Status.WAITLISTED]
        assert mail.outbox[-1].subject.startswith("You're on the waitlist")
        assert not [a for a in mail.outbox[-1].attachments]  # no invitation without a seat

    def test_join_url_is_never_on_the_public_page(self, client, page, session):
        response = client.get(page.url)
        assert response.status_code == 200
        assert session.join_url not in response.content.decode()
        index = client.get(page.get_parent().url)
        assert session.join_url not in index.content.decode()
        assert page.title in index.content.decode()

    def test_anonymous_sees_server_zone_named_and_js_can_rewrite(self, client, page, session):
        html = client.get(page.url).content.decode()
        assert f'datetime="{session.starts_at.isoformat()}"' in html
        assert "(America/New York)" in html
        assert "data-zone-fixed" not in html
        assert "js/local_times.js" in html

    def test_logged_in_user_sees_own_zone_and_prefilled_form(self, client, user, page, session):
        client.force_login(user)  # UserFactory uses America/Chicago
        html = client.get(page.url).content.decode()
        assert "(America/Chicago)" in html and "data-zone-fixed" in html
        assert f'value="{user.email}"' in html

    def test_registration_links_an_existing_user(self, client, user, page, session):
        client.post(page.url, form_data(session, email=user.email.upper()))
        assert WebinarRegistration.objects.get().user == user

    def test_honeypot_looks_like_success_but_saves_nothing(self, client, page, session):
        response = client.post(page.url, form_data(session, website="http://spam.example"))
        assert response.status_code == 302
        assert not WebinarRegistration.objects.exists() and not mail.outbox

    def test_one_office_behind_one_ip_is_not_limited_as_one_person(self, client, page, session, settings):
        from django.test import Client

        session.capacity = 100
        session.save()
        for n in range(25):  # 25 colleagues, each in their own browser, all from 10.0.0.1
            colleague = Client(REMOTE_ADDR="10.0.0.1")
            assert colleague.post(page.url, form_data(session, email=f"c{n}@example.com")).status_code == 302
        assert WebinarRegistration.objects.count() == 25

    def test_limit_per_browser_session(self, client, page, session):
        session.capacity = 100
        session.save()
        for n in range(10):
            assert client.post(page.url, form_data(session, email=f"x{n}@example.com")).status_code == 302
        response = client.post(page.url, form_data(session, email="x99@example.com"))
        assert response.status_code == 400
        assert "registered several times in a few minutes" in response.content.decode()
        assert WebinarRegistration.objects.count() == 10

    def test_limit_per_address_across_browsers(self, page, session):
        from django.test import Client

        for n in range(5):
            assert Client(REMOTE_ADDR=f"10.0.1.{n}").post(page.url, form_data(session)).status_code == 302
        response = Client(REMOTE_ADDR="10.0.2.1").post(page.url, form_data(session, email="ROSA@example.com"))
        assert response.status_code == 400
        assert "This email address was registered several times" in response.content.decode()
        assert len([m for m in mail.outbox if "rosa@example.com" in m.to[0]]) == 5

    def test_per_ip_ceiling_still_stops_a_flood(self, page, session, monkeypatch):
        from django.test import Client

        from program.webinars import views

        monkeypatch.setattr(views, "RATE_PER_IP", 3)
        for n in range(3):
            assert Client().post(page.url, form_data(session, email=f"f{n}@example.com")).status_code == 302
        response = Client().post(page.url, form_data(session, email="f9@example.com"))
        assert response.status_code == 400 and "Too many registrations from your network" in response.content.decode()

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"email": "not-an-email"}, "Enter a valid email address."),
            ({"name": "x" * 121}, "Ensure this value has at most 120 characters"),
            ({"question": "q" * 1001}, "Ensure this value has at most 1000 characters"),
            ({"name": ""}, "This field is required."),
            ({"session": "999999"}, "Select a valid choice."),
        ],
    )
    def test_bad_input_shows_a_message_and_changes_nothing(self, client, page, session, overrides, message):
        response = client.post(page.url, form_data(session, **overrides))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not WebinarRegistration.objects.exists() and not mail.outbox

    def test_past_and_cancelled_sessions_are_refused(self, client, home_page):
        now = timezone.now()
        page = webinar(
            home_page,
            title="Old one",
            sessions=[
                {"starts_at": now - timedelta(hours=2)},
                {"starts_at": now + timedelta(days=2), "is_cancelled": True},
            ],
        )
        past, called_off = page.sessions.order_by("starts_at")
        response = client.post(page.url, form_data(past))
        assert response.status_code == 400 and "already started" in response.content.decode()
        response = client.post(page.url, form_data(called_off))
        assert response.status_code == 400 and "has been cancelled" in response.content.decode()
        assert not WebinarRegistration.objects.exists() and not mail.outbox

    def test_page_query_count_does_not_grow(self, client, page, session, django_assert_max_num_queries):
        WebinarRegistration.objects.bulk_create(
            WebinarRegistration(session=session, email=f"b{n}@example.com", name="B", status=Status.REGISTERED)
            for n in range(300)
        )
        client.get(page.url)  # warm-up: site settings row and navigation cache
        with django_assert_max_num_queries(12):
            response = client.get(page.url)
        assert "seat" in response.content.decode()
        with django_assert_max_num_queries(12):
            client.get(page.get_parent().url)


@pytest.mark.django_db
class TestCancelLink:
    def test_get_changes_nothing_post_cancels_and_promotes_first_waiting(self, client, session):
        session.capacity = 1
        session.save()
        seated = webinar_register(session_id=session.pk, email="a@example.com", name="A")
        first = webinar_register(session_id=session.pk, email="b@example.com", name="B")
        webinar_register(session_id=session.pk, email="c@example.com", name="C")
        mail.outbox.clear()
        url = reverse("program:webinar_cancel", args=[make_token(seated.uuid, salt=CANCEL_SALT)])
        assert client.get(url).status_code == 200
        seated.refresh_from_db()
        assert seated.status == Status.REGISTERED  # link scanners can't cancel anyone
        response = client.post(url)
        assert "Your registration is cancelled" in response.content.decode()
        statuses = dict(WebinarRegistration.objects.values_list("email", "status"))
        assert statuses == {
            "a@example.com": Status.CANCELLED,
            "b@example.com": Status.REGISTERED,
            "c@example.com": Status.WAITLISTED,
        }
        subjects = {m.to[0]: m.subject for m in mail.outbox}
        assert subjects["A <a@example.com>"].startswith("Your registration is cancelled")
        assert subjects["B <b@example.com>"].startswith("A seat opened up")
        promoted_mail = next(m for m in mail.outbox if m.to[0] == "B <b@example.com>")
        first.refresh_from_db()
        assert str(event_of(promoted_mail)["uid"]) == first.ics_uid
        cancelled_mail = next(m for m in mail.outbox if m.to[0] == "A <a@example.com>")
        assert str(event_of(cancelled_mail)["status"]) == "CANCELLED"
        # A second click is harmless.
        assert client.post(url).status_code == 200
        assert WebinarRegistration.objects.filter(status=Status.REGISTERED).count() == 1

    def test_tampered_expired_and_unknown_tokens(self, client, session):
        registration = webinar_register(session_id=session.pk, email="a@example.com", name="A")
        token = make_token(registration.uuid, salt=CANCEL_SALT)
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 200 * 86400):
            expired = make_token(registration.uuid, salt=CANCEL_SALT)
        unknown = make_token(uuid.uuid4(), salt=CANCEL_SALT)
        wrong_purpose = make_token(registration.uuid, salt=JOIN_SALT)
        for bad, text in [
            (tampered, "not valid"),
            (expired, "expired"),
            (unknown, "could not find"),
            (wrong_purpose, "not valid"),
        ]:
            response = client.post(reverse("program:webinar_cancel", args=[bad]))
            assert response.status_code == 400, bad
            assert text in response.content.decode()
        registration.refresh_from_db()
        assert registration.status == Status.REGISTERED

    def test_cannot_cancel_a_session_that_is_over(self, client, session):
        registration = webinar_register(session_id=session.pk, email="a@example.com", name="A")
        session.starts_at = timezone.now() - timedelta(hours=3)
        session.save()
        response = client.post(
            reverse("program:webinar_cancel", args=[make_token(registration.uuid, salt=CANCEL_SALT)])
        )
        assert response.status_code == 400 and "already taken place" in response.content.decode()
        registration.refresh_from_db()
        assert registration.status == Status.REGISTERED


@pytest.mark.django_db
class TestJoinLink:
    def test_redirects_and_records_attendance_near_the_start(self, client, session):
        registration = webinar_register(session_id=session.pk, email="a@example.com", name="A")
        url = reverse("program:webinar_join", args=[make_token(registration.uuid, salt=JOIN_SALT)])
        response = client.get(url)  # three days early: works, but is not attendance
        assert response.status_code == 302 and response["Location"] == session.join_url
        registration.refresh_from_db()
        assert registration.attended_at is None
        session.starts_at = timezone.now() + timedelta(minutes=10)
        session.save()
        client.get(url)
        registration.refresh_from_db()
        assert registration.attended_at is not None

    def test_waitlisted_and_cancelled_get_no_join_url(self, client, session):
        session.capacity = 1
        session.save()
        seated = webinar_register(session_id=session.pk, email="a@example.com", name="A")
        waiting = webinar_register(session_id=session.pk, email="b@example.com", name="B")
        response = client.get(reverse("program:webinar_join", args=[make_token(waiting.uuid, salt=JOIN_SALT)]))
        assert response.status_code == 400 and session.join_url not in response.content.decode()
        webinar_registration_cancel(registration=seated)
        response = client.get(reverse("program:webinar_join", args=[make_token(seated.uuid, salt=JOIN_SALT)]))
        assert response.status_code == 400
        assert "no seat" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixty_parallel_registrations_for_fifty_seats():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")
    home_page = tx_home_page()
    page = webinar(home_page, sessions=[{"starts_at": timezone.now() + timedelta(days=2), "capacity": 50}])
    session = page.sessions.get()
    barrier = threading.Barrier(60)
    errors = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            # Each thread has its own connection; a few register twice to prove no duplicates.
            webinar_register(session_id=session.pk, email=f"lead{n % 58}@example.com", name=f"Lead {n}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = list(WebinarRegistration.objects.filter(session=session).values_list("email", "status"))
    assert len(rows) == len({email for email, _ in rows}) == 58
    statuses = [status for _, status in rows]
    assert statuses.count(Status.REGISTERED) == 50
    assert statuses.count(Status.WAITLISTED) == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixty_distinct_people_at_once_give_fifty_seats_and_ten_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")
    home_page = tx_home_page()
    page = webinar(home_page, sessions=[{"starts_at": timezone.now() + timedelta(days=2), "capacity": 50}])
    session = page.sessions.get()
    barrier = threading.Barrier(60)
    errors = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            webinar_register(session_id=session.pk, email=f"rep{n}@example.com", name=f"Rep {n}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    qs = WebinarRegistration.objects.filter(session=session)
    assert qs.filter(status=Status.REGISTERED).count() == 50
    assert qs.filter(status=Status.WAITLISTED).count() == 10
    assert qs.values("email").distinct().count() == 60
    # The waitlist order is the order the locks were granted: strictly increasing times.
    waits = list(
        qs.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "pk").values_list("waitlisted_at", flat=True)
    )
    assert waits == sorted(waits)


def test_signing_module_is_the_one_patched():
    # Guard for the expiry test above: Django's signer must read time.time through this path.
    assert signing.time.time


@pytest.mark.django_db
def test_webinar_page_is_never_shared_from_a_cache(client, page):
    response = client.get(page.url)
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]

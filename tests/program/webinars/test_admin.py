import csv
import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from program.models import Enrollment, ProgramPage
from program.webinars.models import WebinarRegistration
from program.webinars.selectors import webinar_coach_overview
from program.webinars.services import webinar_register, webinar_registration_cancel
from tests.factories import StaffFactory, UserFactory
from tests.program.webinars.factories import webinar


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def session(home_page):
    return webinar(
        home_page, sessions=[{"starts_at": timezone.now() + timedelta(days=3), "capacity": 2}]
    ).sessions.get()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.django_db
def test_session_page_counts_and_actions(staff_client, session):
    a = webinar_register(session_id=session.pk, email="a@example.com", name="=HYPERLINK(1)")
    b = webinar_register(session_id=session.pk, email="b@example.com", name="B")
    webinar_register(session_id=session.pk, email="c@example.com", name="C")
    webinar_registration_cancel(registration=b)  # C is promoted
    url = reverse("webinar_admin_session", args=[session.pk])
    html = staff_client.get(url).content.decode()
    assert "<strong>2</strong> registered" in html and "<strong>1</strong> cancelled" in html
    mail.outbox.clear()
    staff_client.post(reverse("webinar_admin_action", args=[a.pk]), {"action": "attended"})
    staff_client.post(reverse("webinar_admin_action", args=[a.pk]), {"action": "resend"})
    a.refresh_from_db()
    assert a.attended_at is not None
    assert [m.subject for m in mail.outbox] == ["You're registered: Five strategies"]
    assert "<strong>1</strong> attended" in staff_client.get(url).content.decode()
    rows = list(csv.reader(io.StringIO(staff_client.get(url + "?format=csv").content.decode())))
    assert rows[0][:2] == ["name", "email"] and len(rows) == 4
    assert ["'=HYPERLINK(1)", "a@example.com"] in [row[:2] for row in rows]  # no formula injection


@pytest.mark.django_db
def test_non_staff_are_refused(client, user, session):
    registration = webinar_register(session_id=session.pk, email="a@example.com", name="A")
    client.force_login(user)
    assert client.get(reverse("webinar_admin_overview")).status_code in (302, 403)
    assert client.get(reverse("webinar_admin_session", args=[session.pk])).status_code in (302, 403)
    client.post(reverse("webinar_admin_action", args=[registration.pk]), {"action": "attended"})
    registration.refresh_from_db()
    assert registration.attended_at is None


@pytest.mark.django_db
def test_funnel_links_later_signups_and_counts_enrolments(
    staff_client, home_page, session, django_assert_max_num_queries
):
    for n in range(3):
        webinar_register(session_id=session.pk, email=f"lead{n}@example.com", name=f"L{n}")
    WebinarRegistration.objects.filter(email="lead0@example.com").update(attended_at=timezone.now())
    # lead0 signs up later; lead1 adds and confirms the address on an existing account.
    signed_up = UserFactory(email="lead0@example.com")
    user_signed_up.send(sender=None, request=None, user=signed_up)
    other = UserFactory(email="someone@example.com")
    address = EmailAddress.objects.create(user=other, email="LEAD1@example.com", verified=True)
    email_confirmed.send(sender=None, request=None, email_address=address)
    assert WebinarRegistration.objects.get(email="lead0@example.com").user == signed_up
    assert WebinarRegistration.objects.get(email="lead1@example.com").user == other
    program = ProgramPage(title="Nine steps", slug="nine-steps", promise="Lead better.")
    home_page.add_child(instance=program)
    Enrollment.objects.create(user=signed_up, program=program, source="manual")
    with django_assert_max_num_queries(4):
        pages = webinar_coach_overview()
    assert pages[0].funnel == {**pages[0].funnel, "people": 3, "attended": 1, "enrolled": 1}
    html = staff_client.get(reverse("webinar_admin_overview")).content.decode()
    assert "<strong>3</strong> registered, <strong>1</strong> attended, <strong>1</strong> later enrolled" in html

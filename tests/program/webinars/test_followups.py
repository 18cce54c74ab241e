"""Follow-up by segment: each seated registrant gets their segment's email once, after
attendance is final; attendees get a single-use Stripe promotion code; enrolled people get no offer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from program.models import Enrollment
from program.webinars.dispatch import webinar_emails_dispatch
from program.webinars.models import WebinarEmail, WebinarFollowUp, WebinarOffer, WebinarRegistration
from program.webinars.services import webinar_register
from tests.factories import StaffFactory, UserFactory
from tests.program.payments.fake_stripe import fake_stripe, priced_program  # noqa: F401  (fixtures)
from tests.program.webinars.factories import webinar

Segment = WebinarFollowUp.Segment


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def followups(db):
    texts = {
        Segment.ATTENDED: (
            "Thanks for coming to {webinar}",
            "Here is {offer_percent}% off: {offer_code} until {offer_expires}. {program_url}",
        ),
        Segment.LEFT_EARLY: ("The part you missed of {webinar}", "Catch up: {replay_url}. Code {offer_code}."),
        Segment.MISSED: ("Sorry we missed you at {webinar}", "The replay: {replay_url} {unknown} {0} {"),
        Segment.ENROLLED: ("Good to see you, fellow leader", "You are already in the program. {offer_code}"),
    }
    for segment, (subject, body) in texts.items():
        WebinarFollowUp.objects.create(
            segment=segment,
            subject=subject,
            body=body,
            offer_percent_off=20 if segment in (Segment.ATTENDED, Segment.LEFT_EARLY) else 0,
        )


@pytest.fixture
def session(home_page):
    start = timezone.now() + timedelta(hours=1)
    page = webinar(home_page, sessions=[{"starts_at": start, "replay_url": "https://video.example.com/r"}])
    return page.sessions.get()


@pytest.fixture
def people(session, priced_program):  # noqa: F811
    regs = {
        name: webinar_register(session_id=session.pk, email=f"{name}@example.com", name=name.title())
        for name in ("ana", "ben", "cy", "dee")
    }
    WebinarRegistration.objects.filter(pk=regs["ana"].pk).update(attended_at=session.starts_at, attended_minutes=58)
    WebinarRegistration.objects.filter(pk=regs["ben"].pk).update(attended_at=session.starts_at, attended_minutes=12)
    buyer = UserFactory(email="dee@example.com")
    Enrollment.objects.create(user=buyer, program=priced_program)
    WebinarRegistration.objects.filter(pk=regs["dee"].pk).update(attended_at=session.starts_at, attended_minutes=60)
    return regs


def followup_mail():
    return {m.to[0].split("<")[-1].rstrip(">"): m for m in mail.outbox if "replay of" not in m.subject}


@pytest.mark.django_db
def test_each_segment_gets_its_own_email_once_and_only_attendees_an_offer(fake_stripe, followups, session, people):  # noqa: F811
    final = session.ends_at + timedelta(minutes=120)
    mail.outbox.clear()
    webinar_emails_dispatch(now=final - timedelta(minutes=1))
    assert followup_mail() == {}  # attendance not final yet
    webinar_emails_dispatch(now=final)
    sent = followup_mail()
    assert set(sent) == {"ana@example.com", "ben@example.com", "cy@example.com", "dee@example.com"}
    assert sent["ana@example.com"].subject == "Thanks for coming to Five strategies"
    assert sent["ben@example.com"].subject == "The part you missed of Five strategies"
    assert sent["cy@example.com"].subject == "Sorry we missed you at Five strategies"
    assert sent["dee@example.com"].subject == "Good to see you, fellow leader"
    # Unknown placeholders and stray braces stay as written instead of breaking the send.
    assert "{unknown} {0} {" in sent["cy@example.com"].body

    offers = {o.registration.email: o for o in WebinarOffer.objects.select_related("registration")}
    assert set(offers) == {"ana@example.com", "ben@example.com"}  # none for the buyer, none for the missed
    assert offers["ana@example.com"].code in sent["ana@example.com"].body
    assert "20% off" in sent["ana@example.com"].body
    assert offers["ana@example.com"].expires_at > timezone.now() + timedelta(days=6)
    codes = [p for m, path, p in fake_stripe.requests if path == "/v1/promotion_codes"]
    assert len(codes) == 2
    assert all(p["max_redemptions"] == "1" and p["promotion"]["type"] == "coupon" for p in codes)
    assert "THANKS" not in sent["dee@example.com"].body

    mail.outbox.clear()
    webinar_emails_dispatch(now=final + timedelta(hours=3))
    webinar_emails_dispatch(now=final + timedelta(days=2))
    assert followup_mail() == {}  # exactly once
    assert WebinarEmail.objects.filter(kind="followup").count() == 4


@pytest.mark.django_db
def test_without_payments_the_follow_up_goes_without_a_code(followups, session, people):
    mail.outbox.clear()
    webinar_emails_dispatch(now=session.ends_at + timedelta(hours=2))
    assert "ana@example.com" in followup_mail()
    assert not WebinarOffer.objects.exists()


@pytest.mark.django_db
def test_an_inactive_segment_gets_nothing(followups, session, people):
    WebinarFollowUp.objects.filter(segment=Segment.MISSED).update(is_active=False)
    mail.outbox.clear()
    webinar_emails_dispatch(now=session.ends_at + timedelta(hours=2))
    assert "cy@example.com" not in followup_mail()


@pytest.mark.django_db
def test_coach_edits_follow_ups_as_snippets(client, followups):
    client.force_login(StaffFactory())
    followup = WebinarFollowUp.objects.get(segment=Segment.ENROLLED)
    url = reverse("wagtailsnippets_webinars_webinarfollowup:edit", args=[followup.pk])
    assert client.get(url).status_code == 200
    data = {
        "segment": "enrolled",
        "subject": "Hi",
        "body": "Body",
        "offer_percent_off": "10",
        "offer_valid_days": "7",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "already bought" in response.content.decode()  # no discount for buyers
    assert WebinarFollowUp.objects.get(pk=followup.pk).offer_percent_off == 0


def _replays_to():
    return sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox if "replay of" in m.subject)


@pytest.mark.django_db
def test_a_follow_up_that_carries_the_replay_link_replaces_the_replay_email(followups, session, people):
    """Left early and missed: their follow-ups hold {replay_url}, so one email each, not two.
    Attended and enrolled: their follow-ups have no replay link, so the replay still comes."""
    final = session.ends_at + timedelta(minutes=120)
    mail.outbox.clear()
    webinar_emails_dispatch(now=final)
    assert _replays_to() == ["ana@example.com", "dee@example.com"]
    assert "https://video.example.com/r" in followup_mail()["ben@example.com"].body
    mail.outbox.clear()
    webinar_emails_dispatch(now=final + timedelta(days=8))  # after the follow-up window too
    assert _replays_to() == [] and followup_mail() == {}


@pytest.mark.django_db
def test_a_replay_added_after_the_follow_up_is_still_mailed(followups, session, people):
    type(session).objects.filter(pk=session.pk).update(replay_url="")
    final = session.ends_at + timedelta(minutes=120)
    webinar_emails_dispatch(now=final)
    assert "ben@example.com" in followup_mail()
    mail.outbox.clear()
    type(session).objects.filter(pk=session.pk).update(replay_url="https://video.example.com/later")
    webinar_emails_dispatch(now=final + timedelta(hours=5))
    assert _replays_to() == ["ana@example.com", "ben@example.com", "cy@example.com", "dee@example.com"]

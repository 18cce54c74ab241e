"""The coach's send step: the exact count first, now or scheduled, and never a second send."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from home.newsletter.models import NewsletterDelivery, NewsletterIssuePage, NewsletterSettings, NewsletterSubscriber
from home.newsletter.tasks import newsletter_due_issues_send
from tests.factories import StaffFactory
from tests.home.newsletter.test_newsletter import issue_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def coach_client(client, home_page):
    NewsletterSettings.objects.create(site=Site.objects.get(), postal_address="1 Main St, Austin, TX 78701")
    client.force_login(StaffFactory())
    return client


def _subscribers(n, status="confirmed", prefix="s"):
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(email=f"{prefix}{i}@example.com", status=status, source="t") for i in range(n)
    )


def test_confirmation_shows_the_exact_count_and_sends_only_on_confirm(coach_client, home_page):
    issue = issue_page(home_page)
    _subscribers(5)
    _subscribers(2, "pending", "p")
    _subscribers(1, "unsubscribed", "u")
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    page = coach_client.get(url).content.decode()
    assert 'data-recipients="5"' in page and "Confirm: send to 5 subscribers" in page
    assert not mail.outbox  # looking is not sending
    coach_client.post(url, {"when": "now"})
    assert len(mail.outbox) == 5


def test_schedule_for_later_in_the_coachs_zone_then_the_scheduler_sends(coach_client, home_page):
    issue = issue_page(home_page)
    _subscribers(2)
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    zone = re.search(r"Date and time \(([^)]+)\)", coach_client.get(url).content.decode()).group(1)
    response = coach_client.post(url, {"when": "later", "send_at": "2099-03-01T09:30"})
    assert response.status_code == 302 and not mail.outbox
    issue.refresh_from_db()
    local = timezone.localtime(issue.send_requested_at, timezone=ZoneInfo(zone))  # the zone the page named
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2099, 3, 1, 9, 30)
    assert "Scheduled for" in coach_client.get(reverse("newsletter_admin_issues")).content.decode()
    assert newsletter_due_issues_send.call() == []  # not due yet
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_requested_at=timezone.now() - timedelta(seconds=1))
    assert newsletter_due_issues_send.call() == [issue.pk]
    assert len(mail.outbox) == 2


def test_schedule_can_be_cancelled_and_past_times_are_refused(coach_client, home_page):
    issue = issue_page(home_page)
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    response = coach_client.post(url, {"when": "later", "send_at": "2001-01-01T09:00"})
    assert response.status_code == 400 and "in the future" in response.content.decode()
    response = coach_client.post(url, {"when": "later"})
    assert response.status_code == 400 and "Choose the date and time" in response.content.decode()
    coach_client.post(url, {"when": "later", "send_at": "2099-01-01T09:00"})
    coach_client.post(reverse("newsletter_admin_issue_action", args=[issue.pk]), {"action": "cancel"})
    issue.refresh_from_db()
    assert issue.send_requested_at is None


def test_sent_issue_cannot_be_sent_or_resumed_again(coach_client, home_page):
    issue = issue_page(home_page, sent=True)
    _subscribers(3)
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    assert coach_client.get(url).status_code == 302
    coach_client.post(url, {"when": "now"})
    coach_client.post(reverse("newsletter_admin_issue_action", args=[issue.pk]), {"action": "resume"})
    assert not mail.outbox
    listing = coach_client.get(reverse("newsletter_admin_issues")).content.decode()
    assert 'value="resume"' not in listing and f"/{issue.pk}/send/" not in listing
    assert "cannot be sent again" in listing


def test_interrupted_send_is_resumed_not_restarted(coach_client, home_page):
    issue = issue_page(home_page)
    _subscribers(3)
    first = NewsletterSubscriber.objects.order_by("pk").first()
    long_ago = timezone.now() - timedelta(hours=1)
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_requested_at=long_ago)
    NewsletterDelivery.objects.create(issue=issue, subscriber=first, claimed_at=long_ago, sent_at=long_ago)
    assert "Resume sending" in coach_client.get(reverse("newsletter_admin_issues")).content.decode()
    coach_client.post(reverse("newsletter_admin_issue_action", args=[issue.pk]), {"action": "resume"})
    assert sorted(m.to[0] for m in mail.outbox) == ["s1@example.com", "s2@example.com"]


def test_no_postal_address_no_send(client, home_page):
    issue = issue_page(home_page)
    _subscribers(1)
    client.force_login(StaffFactory())
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    assert "No postal address yet" in client.get(url).content.decode()
    response = client.post(url, {"when": "now"})
    assert response.status_code == 400 and not mail.outbox


def test_leader_cannot_reach_the_send_step(client, home_page, user):
    issue = issue_page(home_page)
    client.force_login(user)
    response = client.post(reverse("newsletter_admin_issue_send", args=[issue.pk]), {"when": "now"})
    assert response.status_code in (302, 403) and not mail.outbox

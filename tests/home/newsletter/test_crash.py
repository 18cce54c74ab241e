"""A worker killed mid-send: per recipient at most the message in flight twice, nobody missed,
and the send resumes by itself (the scheduler's due-issues task) once the claim's lease runs out."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from home.newsletter.models import NewsletterDelivery, NewsletterIssuePage, NewsletterSubscriber
from home.newsletter.sending import LEASE, newsletter_issue_deliver, newsletter_sends_due
from home.newsletter.tasks import newsletter_due_issues_send
from tests.home.newsletter.test_newsletter import issue_page

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except Exception catches it."""


class DyingBackend(EmailBackend):
    """Hands `limit` messages over, then dies right after handing over the next one (the worst
    moment: the server has it, our ledger does not)."""

    limit = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) > DyingBackend.limit:
            raise Killed
        return sent


def test_killed_at_40_percent_then_resumed_by_the_scheduler(home_page, settings):
    issue = issue_page(home_page)
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(email=f"r{i}@example.com", status="confirmed", source="test") for i in range(300)
    )
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_requested_at=timezone.now())
    settings.EMAIL_BACKEND = "tests.home.newsletter.test_crash.DyingBackend"
    DyingBackend.limit = 120
    with pytest.raises(Killed):
        newsletter_issue_deliver(issue_id=issue.pk, batch_size=50)
    assert len(mail.outbox) == 121
    assert NewsletterDelivery.objects.filter(sent_at__isnull=False).count() == 120
    issue.refresh_from_db()
    assert issue.sent_at is None

    # While the dead run's claim is fresh nobody takes it over; after LEASE the scheduler resumes.
    assert newsletter_sends_due() == []
    NewsletterDelivery.objects.update(claimed_at=timezone.now() - LEASE - timedelta(seconds=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert newsletter_due_issues_send.call() == [issue.pk]  # runs the send (immediate backend)

    copies = Counter(m.to[0] for m in mail.outbox)
    assert len(copies) == 300  # nobody missing
    assert sum(1 for n in copies.values() if n > 1) <= 1  # at most the message in flight
    issue.refresh_from_db()
    assert issue.sent_at is not None


def test_issue_is_not_called_sent_while_another_run_holds_rows(home_page, monkeypatch):
    issue = issue_page(home_page)
    subscriber = NewsletterSubscriber.objects.create(email="held@example.com", status="confirmed", source="t")
    row = NewsletterDelivery.objects.create(issue=issue, subscriber=subscriber, claimed_at=timezone.now())
    looks = []

    def other_run_finishes(seconds):
        looks.append(seconds)
        NewsletterDelivery.objects.filter(pk=row.pk).update(sent_at=timezone.now())

    monkeypatch.setattr("home.newsletter.sending.time.sleep", other_run_finishes)
    assert newsletter_issue_deliver(issue_id=issue.pk) == 0
    assert looks  # it waited for the other run instead of stamping the issue sent at once
    issue.refresh_from_db()
    assert issue.sent_at is not None

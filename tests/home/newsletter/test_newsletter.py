import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from home.newsletter.models import (
    NewsletterConsent,
    NewsletterDelivery,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterSubscriber,
)
from home.newsletter.sending import LEASE, newsletter_issue_deliver
from home.newsletter.services import newsletter_subscribe
from home.newsletter.tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token
from home.newsletter.wording import SIGNUP_WORDING
from tests.factories import StaffFactory

Status = NewsletterSubscriber.Status


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def link_in(message, name):
    return re.search(rf"http://[^\s\"]+/newsletter/{name}/[^\s\"/]+/", message.body).group(0)


def subscribe(client, remote_addr="127.0.0.1", **data):
    data = {"email": "ana@example.com", "source": "footer", **data}
    return client.post(reverse("home:newsletter_subscribe"), data, REMOTE_ADDR=remote_addr)


def issue_page(home_page, n=1, sent=False):
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="Newsletter", slug="newsletter")
        home_page.add_child(instance=index)
        index.save_revision().publish()
    issue = NewsletterIssuePage(
        title=f"Issue {n}",
        slug=f"issue-{n}",
        subject=f"Issue {n}: the monthly 1:1",
        preheader="Why the review beats the pep talk",
        body=[("text", "<p>Hold the review every month, without fail.</p>")],
    )
    index.add_child(instance=issue)
    issue.save_revision().publish()
    if sent:
        NewsletterIssuePage.objects.filter(pk=issue.pk).update(sent_at=timezone.now())
        issue.refresh_from_db()
    return issue


@pytest.mark.django_db
class TestDoubleOptIn:
    def test_subscribe_confirm_unsubscribe_with_ledger(self, client, home_page):
        response = subscribe(client, first_name="Ana", remote_addr="203.0.113.9")
        assert "Check your inbox" in response.content.decode()
        subscriber = NewsletterSubscriber.objects.get()
        assert subscriber.status == Status.PENDING and subscriber.source == "footer"
        confirm_url = link_in(mail.outbox[0], "confirm")
        assert client.get(confirm_url).status_code == 200
        subscriber.refresh_from_db()
        assert subscriber.status == Status.PENDING  # a link scanner's GET confirms nothing
        assert "You're subscribed" in client.post(confirm_url).content.decode()
        subscriber.refresh_from_db()
        assert subscriber.status == Status.CONFIRMED
        unsubscribe_url = reverse(
            "home:newsletter_unsubscribe", args=[make_token(subscriber.uuid, salt=UNSUBSCRIBE_SALT)]
        )
        page = client.post(unsubscribe_url).content.decode()
        assert "You're unsubscribed" in page and "ana@example.com" not in page
        subscriber.refresh_from_db()
        assert subscriber.status == Status.UNSUBSCRIBED
        # Re-subscribing is recorded, not overwritten.
        subscribe(client)
        ledger = list(NewsletterConsent.objects.values_list("action", "source"))
        assert ledger == [
            ("subscribe", "footer"),
            ("confirm", "confirmation link"),
            ("unsubscribe", "unsubscribe page"),
            ("subscribe", "footer"),
        ]
        first = NewsletterConsent.objects.first()
        assert first.wording == SIGNUP_WORDING["short"] and first.ip == "203.0.113.9"  # the footer form's text

    def test_an_unsubscribe_wins_over_an_older_confirmation_link(self, client, home_page):
        with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 3600):
            subscribe(client)
        old_link = link_in(mail.outbox[0], "confirm")
        subscriber = NewsletterSubscriber.objects.get()
        client.post(reverse("home:newsletter_unsubscribe", args=[make_token(subscriber.uuid, salt=UNSUBSCRIBE_SALT)]))
        for response in (client.get(old_link), client.post(old_link)):
            assert response.status_code == 400 and "You unsubscribed after this link" in response.content.decode()
        subscriber.refresh_from_db()
        assert subscriber.status == Status.UNSUBSCRIBED
        # Signing up again sends a new link, and that one works.
        mail.outbox.clear()
        with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 5):
            subscribe(client)
        assert "You're subscribed" in client.post(link_in(mail.outbox[0], "confirm")).content.decode()
        subscriber.refresh_from_db()
        assert subscriber.status == Status.CONFIRMED

    def test_response_never_reveals_an_existing_subscription(self, client, home_page):
        newsletter_subscribe(email="ana@example.com", source="footer")
        NewsletterSubscriber.objects.update(status=Status.CONFIRMED)
        mail.outbox.clear()
        known = subscribe(client).content.decode()
        unknown = subscribe(client, email="new@example.com").content.decode()
        strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
        assert strip(known) == strip(unknown)
        assert [m.to for m in mail.outbox] == [["new@example.com"]]  # confirmed address gets no new mail

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"email": "not-an-email"}, "Enter a valid email address."),
            ({"email": "a" * 250 + "@example.com"}, "at most 254 characters"),
            ({"first_name": "x" * 61}, "at most 60 characters"),
        ],
    )
    def test_bad_input(self, client, home_page, data, message):
        response = subscribe(client, **data)
        assert response.status_code == 400 and message in response.content.decode()
        assert not NewsletterSubscriber.objects.exists() and not mail.outbox

    def test_honeypot_and_rate_limit(self, client, home_page):
        subscribe(client, website="spam")
        assert not NewsletterSubscriber.objects.exists()
        for n in range(10):
            subscribe(client, email=f"p{n}@example.com")
        response = subscribe(client, email="late@example.com")
        assert response.status_code == 400 and "Too many" in response.content.decode()
        assert NewsletterSubscriber.objects.count() == 10

    def test_tampered_expired_unknown_tokens(self, client, home_page):
        newsletter_subscribe(email="ana@example.com", source="footer")
        subscriber = NewsletterSubscriber.objects.get()
        good = make_token(subscriber.uuid, salt=CONFIRM_SALT)
        with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 4 * 86400):
            expired = make_token(subscriber.uuid, salt=CONFIRM_SALT)
        cases = [
            ("home:newsletter_confirm", good[:-3] + "xyz", "not valid"),
            ("home:newsletter_confirm", expired, "expired"),
            ("home:newsletter_confirm", make_token(uuid.uuid4(), salt=CONFIRM_SALT), "could not find"),
            ("home:newsletter_confirm", make_token(subscriber.uuid, salt=UNSUBSCRIBE_SALT), "not valid"),
            ("home:newsletter_unsubscribe", good, "not valid"),
        ]
        for name, token, text in cases:
            response = client.post(reverse(name, args=[token]))
            assert response.status_code == 400 and text in response.content.decode(), (name, token)
        subscriber.refresh_from_db()
        assert subscriber.status == Status.PENDING
        assert NewsletterConsent.objects.count() == 1

    def test_footer_form_on_every_page(self, client, home_page):
        html = client.get("/").content.decode()
        assert 'action="/newsletter/subscribe/"' in html and 'value="footer"' in html


@pytest.mark.django_db
class TestSending:
    def make_subscribers(self, n, status=Status.CONFIRMED):
        NewsletterSubscriber.objects.bulk_create(
            NewsletterSubscriber(email=f"s{i}-{status}@example.com", status=status, source="test") for i in range(n)
        )

    def test_sends_once_to_confirmed_only_with_one_click_headers(self, home_page):
        issue = issue_page(home_page)
        self.make_subscribers(7)
        self.make_subscribers(2, Status.PENDING)
        self.make_subscribers(2, Status.UNSUBSCRIBED)
        assert newsletter_issue_deliver(issue_id=issue.pk, batch_size=3) == 7
        assert newsletter_issue_deliver(issue_id=issue.pk, batch_size=3) == 0
        assert len(mail.outbox) == 7 and len({m.to[0] for m in mail.outbox}) == 7
        message = mail.outbox[0]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert url in message.body and url in message.alternatives[0][0]
        assert "Hold the review every month" in message.body
        issue.refresh_from_db()
        assert issue.sent_at is not None
        assert NewsletterDelivery.objects.filter(sent_at__isnull=False).count() == 7

    def test_one_click_post_from_the_mail_client(self, client, home_page):
        issue = issue_page(home_page)
        self.make_subscribers(1)
        newsletter_issue_deliver(issue_id=issue.pk)
        url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:8000", "")
        client.handler.enforce_csrf_checks = True
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        subscriber = NewsletterSubscriber.objects.get()
        assert subscriber.status == Status.UNSUBSCRIBED
        assert subscriber.consents.get().source == "one-click header"

    def test_resumes_after_a_crash_without_repeats(self, home_page):
        issue = issue_page(home_page)
        self.make_subscribers(5)
        first, second = NewsletterSubscriber.objects.order_by("pk")[:2]
        long_ago = timezone.now() - LEASE - timedelta(minutes=1)
        NewsletterDelivery.objects.create(issue=issue, subscriber=first, claimed_at=long_ago, sent_at=long_ago)  # sent
        NewsletterDelivery.objects.create(issue=issue, subscriber=second, claimed_at=long_ago)  # crashed mid-send
        assert newsletter_issue_deliver(issue_id=issue.pk) == 4
        assert first.email not in [m.to[0] for m in mail.outbox]

    def test_admin_send_and_test_and_archive(self, client, home_page):
        issue = issue_page(home_page)
        self.make_subscribers(3)
        assert client.get(issue.url).status_code == 404  # not in the archive before it is sent
        staff = StaffFactory()
        client.force_login(staff)
        url = reverse("newsletter_admin_issue_action", args=[issue.pk])
        client.post(url, {"action": "test"})
        assert [m.to for m in mail.outbox] == [[staff.email]] and mail.outbox[0].subject.startswith("[Test]")
        assert not NewsletterDelivery.objects.exists()
        from wagtail.models import Site

        from home.newsletter.models import NewsletterSettings

        NewsletterSettings.objects.update_or_create(site=Site.objects.get(), defaults={"postal_address": "1 Main St"})
        send = reverse("newsletter_admin_issue_send", args=[issue.pk])
        client.post(send, {"when": "now"})
        client.post(send, {"when": "now"})  # a double click sends nobody anything twice
        assert len(mail.outbox) == 4
        assert "3</td>" in client.get(reverse("newsletter_admin_issues")).content.decode()
        client.logout()
        assert client.get(issue.url).status_code == 200
        archive = client.get(issue.get_parent().url).content.decode()
        assert issue.subject in archive

    def test_subscriber_admin_export_and_staff_only(self, client, home_page, user):
        self.make_subscribers(2)
        client.force_login(user)
        assert client.get(reverse("newsletter_admin_issues")).status_code in (302, 403)
        client.force_login(StaffFactory())
        response = client.get(reverse("newsletter_subscribers:index") + "?export=csv")
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert "s0-confirmed@example.com" in body and "source" in body.lower()


@pytest.mark.django_db
def test_signup_block_records_its_page_as_source(client, home_page):
    from home.models import StandardPage

    about = StandardPage(title="About", slug="about", body=[("newsletter", {"heading": "Stay in touch", "text": ""})])
    home_page.add_child(instance=about)
    about.save_revision().publish()
    html = client.get(about.url).content.decode()
    assert "Stay in touch" in html and 'value="block on page About"' in html
    subscribe(client, source="block on page About")
    assert NewsletterSubscriber.objects.get().source == "block on page About"


@pytest.mark.django_db
def test_footer_form_needs_no_csrf_token_so_pages_stay_cacheable(home_page):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    html = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html.split('class="site-footer"', 1)[-1]
    assert "Check your inbox" in subscribe(client).content.decode()

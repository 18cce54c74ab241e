"""Bounces and complaints from the email provider (django-anymail's webhook, sent the way Postmark
sends it) suppress the address: no mail of any kind reaches it again, the newsletter unsubscribes
it, and the coach sees the list in the admin."""

import base64
import json
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from home.core.mail import email_queue
from home.newsletter.models import NewsletterSubscriber
from home.runtime.models import EmailSuppression
from tests.factories import StaffFactory
from tests.home.runtime.processes import BASE_DIR

pytestmark = pytest.mark.django_db
SECRET = "postmark-hook:Kq7vN2xR9tLm4Wz8"
HOOK = "/anymail/postmark/tracking/"


@pytest.fixture(autouse=True)
def _webhook_secret_and_suppression(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    # Production's backend chain (Django's test set-up puts plain locmem in EMAIL_BACKEND).
    settings.EMAIL_BACKEND = "home.core.mail_suppression.SuppressingBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _post(client, payload, secret=SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(HOOK, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth)


def _bounce(email, kind="HardBounce", record="Bounce"):
    return {
        "RecordType": record,
        "ID": 4323372036854775807,
        "Type": kind,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Email": email,
        "BouncedAt": "2026-11-28T16:33:54.9070259Z",
    }


def test_hard_bounce_and_complaint_suppress_the_address(client):
    assert _post(client, _bounce("Gone@Example.com")).status_code == 200
    assert _post(client, _bounce("angry@example.com", "SpamComplaint", "SpamComplaint")).status_code == 200
    assert _post(client, _bounce("angry@example.com", "SpamComplaint", "SpamComplaint")).status_code == 200  # again
    assert _post(client, _bounce("full@example.com", "SoftBounce")).status_code == 200  # may clear: kept
    rows = dict(EmailSuppression.objects.values_list("email", "reason"))
    assert rows == {"gone@example.com": "bounced", "angry@example.com": "complained"}
    assert EmailSuppression.objects.get(email="gone@example.com").esp == "Postmark"


def test_a_request_without_the_secret_changes_nothing(client):
    assert _post(client, _bounce("x@example.com"), secret="someone:else").status_code in (400, 403)
    assert not EmailSuppression.objects.exists()


def test_suppressed_addresses_get_no_mail_of_any_kind(client):
    _post(client, _bounce("gone@example.com"))
    email_queue(EmailMessage("Your webinar seat", "See you", to=["Gone <GONE@example.com>"]))
    email_queue(EmailMessage("Two of you", "Hello", to=["gone@example.com", "here@example.com"]))
    EmailMessage("Sent directly", "x", to=["gone@example.com"]).send()  # a task that sends itself
    assert [(m.subject, m.to) for m in mail.outbox] == [("Two of you", ["here@example.com"])]


def test_through_an_anymail_backend_too(client, settings):
    settings.EMAIL_DELIVERY_BACKEND = "anymail.backends.test.EmailBackend"
    _post(client, _bounce("gone@example.com"))
    sent = (
        EmailMessage("Hi", "x", to=["gone@example.com"]).send() + EmailMessage("Hi", "x", to=["ok@example.com"]).send()
    )
    assert sent == 2 and [m.to for m in mail.outbox] == [["ok@example.com"]]
    assert mail.outbox[0].anymail_status.status == {"sent"}  # handed to anymail's backend


def test_the_newsletter_unsubscribes_a_complaining_subscriber(client):
    subscriber = NewsletterSubscriber.objects.create(email="angry@example.com", status="confirmed", source="t")
    _post(client, _bounce("angry@example.com", "SpamComplaint", "SpamComplaint"))
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert subscriber.consents.get().source == "email provider: complained"


def test_the_coach_sees_suppressions_and_a_leader_does_not(client, user):
    _post(client, _bounce("gone@example.com"))
    client.force_login(StaffFactory())
    page = client.get(reverse("runtime_suppressions:index")).content.decode()
    assert "gone@example.com" in page and "Bounced" in page
    client.force_login(user)
    assert client.get(reverse("runtime_suppressions:index")).status_code in (302, 403)


def test_anymail_esp_variable_selects_the_provider_backend():
    code = (
        "import config.settings.base as s; "
        "print(s.EMAIL_DELIVERY_BACKEND, s.EMAIL_BACKEND, s.ANYMAIL['POSTMARK_SERVER_TOKEN'])"
    )
    env = {**os.environ, "ANYMAIL_ESP": "postmark", "ANYMAIL_POSTMARK_SERVER_TOKEN": "tok-123"}
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert out.stdout.split() == [
        "anymail.backends.postmark.EmailBackend",
        "home.core.mail_suppression.SuppressingBackend",
        "tok-123",
    ], out.stderr
    env.pop("ANYMAIL_ESP")
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert out.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


def test_a_newsletter_send_skips_and_unsubscribes_a_suppressed_subscriber(home_page):
    from home.newsletter.sending import newsletter_issue_deliver
    from home.runtime.suppression import email_suppression_record
    from tests.home.newsletter.test_newsletter import issue_page

    issue = issue_page(home_page)
    for email in ("gone@example.com", "here@example.com"):
        NewsletterSubscriber.objects.create(email=email, status="confirmed", source="t")
    EmailSuppression.objects.create(email="gone@example.com", reason="bounced")  # e.g. added by hand
    email_suppression_record(email="x@example.com", reason="bounced")
    assert newsletter_issue_deliver(issue_id=issue.pk) == 1
    assert [m.to for m in mail.outbox] == [["here@example.com"]]
    assert NewsletterSubscriber.objects.get(email="gone@example.com").status == "unsubscribed"

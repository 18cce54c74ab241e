"""The user is told by email when their password or login address changes (the old address too),
through the queue like every other account email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_change_is_emailed(client, home_page, user, monkeypatch):
    queued = []
    import accounts.adapter

    real = accounts.adapter.email_queue
    monkeypatch.setattr(accounts.adapter, "email_queue", lambda message: (queued.append(message), real(message)))
    client.force_login(user)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "fresh-secret-991", "password2": "fresh-secret-991"},
    )
    [message] = mail.outbox
    assert message.to == [user.email] and message.subject == "[Huddle] Your Huddle password was changed"
    assert "Your password was changed." in message.body and "IP address: 127.0.0.1" in message.body
    assert len(queued) == 1  # it went through the task queue


def test_a_wrong_old_password_sends_nothing(client, home_page, user):
    client.force_login(user)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": "x-secret-991", "password2": "x-secret-991"},
    )
    assert mail.outbox == []


def test_an_email_change_tells_the_old_address(client, home_page, user):
    old = user.email
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "new-address@example.com"})
    [confirm] = mail.outbox
    link = re.search(r"https?://\S+", confirm.body).group(0)
    client.post(link)
    user.refresh_from_db()
    assert user.email == "new-address@example.com"
    notice = mail.outbox[-1]
    assert notice.to == [old]
    assert notice.subject == "[Huddle] The email address of your Huddle account was changed"
    assert f"from {old} to new-address@example.com" in notice.body

"""Mail down (SMTP at a closed port): no request answers 500, the email waits in the queue."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_signup_with_mail_down_succeeds_and_queues_the_verification(client, home_page, db_queue, closed_smtp):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Kim Ito", "email": "kim@example.com", "company": "Ito Homes",
         "password1": "a-long-new-password-42", "password2": "a-long-new-password-42"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.filter(email="kim@example.com").exists()
    assert DBTaskResult.objects.filter(task_path="home.core.mail.email_send", status="READY").count() == 1


def test_password_reset_and_newsletter_with_mail_down(client, home_page, db_queue, closed_smtp, user):
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
    response = client.post(reverse("home:newsletter_subscribe"), {"email": "n@example.com", "source": "footer"})
    assert response.status_code in (200, 302)
    assert DBTaskResult.objects.count() >= 1

"""allauth's rate limits protect log-in."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_failed_logins_lock_the_address(client, home_page, user):
    url = reverse("account_login")
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per address
        response = client.post(url, {"login": user.email, "password": "guess"})
        assert "Too many failed login attempts" not in response.content.decode()
    # Even the right password is refused now.
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_attempts_answer_429_after_limit(client, home_page, user):
    url = reverse("account_login")
    for i in range(30):  # ACCOUNT_RATE_LIMITS["login"]: 30 per minute per IP
        response = client.post(url, {"login": f"nobody{i}@example.com", "password": "guess"})
        assert response.status_code == 200
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

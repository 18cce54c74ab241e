"""Every allauth page the site uses renders in our design, not allauth's bare defaults."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_CHROME = ['class="site-header"', 'class="site-footer"', 'class="form-card"']


def assert_our_design(response, *texts):
    assert response.status_code == 200
    html = response.content.decode()
    for marker in OUR_CHROME:
        assert marker in html
    for text in texts:
        assert text in html, text
    # allauth's bare layout prints a "Menu:" list; ours never does.
    assert "<strong>Menu:</strong>" not in html


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("account_login", "Log in to Huddle"),
        ("account_signup", "Create my account"),
        ("account_reset_password", "Email me a reset link"),
        ("account_reset_password_done", "Check your inbox"),
        ("account_email_verification_sent", "Check your inbox"),
        ("account_inactive", "This account is inactive"),
        ("account_reset_password_from_key_done", "Your password is changed"),
    ],
)
def test_anonymous_pages(client, home_page, name, text):
    assert_our_design(client.get(reverse(name)), text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("account_logout", "Stay logged in"),
        ("account_email", "Change my email"),
        ("account_change_password", "Change my password"),
        ("account_reauthenticate", "Confirm it's you"),
        ("accounts:profile", "Download my data"),
        ("accounts:account_delete", "Delete my account for good"),
    ],
)
def test_logged_in_pages(client, home_page, user, name, text):
    client.force_login(user)
    assert_our_design(client.get(reverse(name)), text)


def test_password_set_page_for_user_without_password(client, home_page):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert_our_design(client.get(reverse("account_set_password")), "Set my password")


def test_email_confirm_valid_key(client, home_page):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    assert_our_design(client.get(reverse("account_confirm_email", args=[key])), "Yes, confirm my address", user.email)


def test_email_confirm_address_taken_by_other_account(client, home_page, user):
    other = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=other, email=user.email, verified=False, primary=False)
    key = EmailConfirmationHMAC(address).key
    assert_our_design(client.get(reverse("account_confirm_email", args=[key])), "Address already in use")


def test_rate_limited_page_is_ours(client, home_page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client.post(reverse("account_reset_password"), {"email": "someone@example.com"})
    response = client.post(reverse("account_reset_password"), {"email": "someone@example.com"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_account_pages_query_counts(client, home_page, user, django_assert_max_num_queries):
    client.force_login(user)
    client.get(reverse("accounts:profile"))  # the first request of a fresh site creates its SiteSettings row
    for name in ["accounts:dashboard", "accounts:profile", "account_email", "accounts:data_export"]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
    assert get_user_model().objects.count() == 1

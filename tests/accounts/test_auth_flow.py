"""Sign-up, email verification, log-in, log-out and password reset, end to end through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")


def _link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_login_dashboard(client, home_page):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Renee Castillo",
            "email": "Renee@Example.com",
            "company": "Bayview Homes",
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="renee@example.com")
    assert (user.full_name, user.company) == ("Renee Castillo", "Bayview Homes")
    assert not EmailAddress.objects.get(user=user).verified

    # Mandatory verification: the dashboard is out of reach until the address is confirmed.
    assert client.get(reverse("accounts:dashboard")).status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["renee@example.com"]
    assert message.subject.startswith("[Huddle] ")
    assert "Hello Renee" in message.body
    confirm_url = _link_in(message)

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Yes, confirm my address" in page.content.decode()
    assert client.post(confirm_url).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "renee@example.com", "password": "a-long-new-password-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200
    assert "Welcome back, Renee Castillo." in dashboard.content.decode()  # our log-in message

    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_signup_errors_in_place_and_values_kept(client, home_page):
    UserFactory(email="taken@example.com")
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Sam Ortiz",
            "email": "not-an-email",
            "company": "Ortiz Realty",
            "password1": "x",
            "password2": "y",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field field--error"' in html
    assert 'value="Sam Ortiz"' in html and 'value="Ortiz Realty"' in html and 'value="not-an-email"' in html
    assert 'value="x"' not in html  # passwords are never echoed back
    assert User.objects.filter(full_name="Sam Ortiz").count() == 0


def test_unverified_user_cannot_log_in_and_gets_a_fresh_link(client, home_page):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1


def test_wrong_password_shows_error_and_keeps_email(client, home_page, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert f'value="{user.email}"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name", ["accounts:dashboard", "accounts:profile", "accounts:data_export", "accounts:account_delete"]
)
def test_login_required(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_password_reset_by_email(client, home_page, user):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Huddle] Reset your Huddle password"
    reset_url = _link_in(mail.outbox[0])
    form_page = client.get(reset_url, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    response = client.post(action, {"password1": "brand-new-secret-77", "password2": "brand-new-secret-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-77")


def test_bad_reset_token_page(client, home_page, user):
    response = client.get(f"/accounts/password/reset/key/{user.pk}-set-password/", follow=True)
    assert response.status_code == 200
    assert "This reset link isn" in response.content.decode()


def test_expired_or_unknown_confirmation_key(client, home_page):
    response = client.get(reverse("account_confirm_email", args=["no-such-key"]))
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()


def test_password_change_errors_then_success(client, home_page, user):
    client.force_login(user)
    url = reverse("account_change_password")
    bad = client.post(url, {"oldpassword": "nope", "password1": "fresh-secret-991", "password2": "fresh-secret-991"})
    assert bad.status_code == 200
    assert "field--error" in bad.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    good = client.post(url, {"oldpassword": PASSWORD, "password1": "fresh-secret-991", "password2": "fresh-secret-991"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-secret-991")


def test_email_change_sends_confirmation_and_switches_after_confirm(client, home_page, user):
    client.force_login(user)
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    assert user.email in page.content.decode()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new-address@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new-address@example.com"]
    page = client.get(reverse("account_email")).content.decode()
    assert "new-address@example.com" in page and "Not confirmed yet" in page
    client.post(_link_in(mail.outbox[0]))
    user.refresh_from_db()
    assert user.email == "new-address@example.com"


def test_email_change_bad_address_shows_error(client, home_page, user):
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "nope@"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "field--error" in html and 'value="nope@"' in html
    assert len(mail.outbox) == 0

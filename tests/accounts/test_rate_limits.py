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


# --- One limit for every form, and no lock-out by a stranger -------------------------------------

LOCKED = "Too many failed login attempts"


def _attempt(client, email, password, ip):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("door", ["/admin/login/", "/django-admin/login/", "/_util/login/"])
def test_thirty_guesses_then_the_right_password_on_any_other_form_gets_no_session(client, home_page, door):
    from tests.factories import StaffFactory

    coach = StaffFactory()
    for i in range(30):
        client.post(door, {"username": coach.email, "password": f"guess-{i}"})
    client.post(door, {"username": coach.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_strangers_failures_do_not_lock_the_person_out_of_their_known_browser(home_page, user):
    from django.test import Client

    from accounts.known_device import COOKIE

    own = Client()
    assert _attempt(own, user.email, PASSWORD, "198.51.100.1").status_code == 302
    device_cookie = own.cookies[COOKIE].value

    stranger = Client()
    for _ in range(6):
        _attempt(stranger, user.email, "guess", "203.0.113.66")
    assert LOCKED in _attempt(Client(), user.email, PASSWORD, "192.0.2.5").content.decode()  # unknown browser

    returning = Client()
    returning.cookies[COOKIE] = device_cookie
    response = _attempt(returning, user.email, PASSWORD, "198.51.100.1")
    assert response.status_code == 302 and "_auth_user_id" in returning.session


def test_a_known_browsers_own_failures_are_still_limited(home_page, user):
    from django.test import Client

    from accounts.known_device import COOKIE

    own = Client()
    _attempt(own, user.email, PASSWORD, "198.51.100.1")
    thief = Client()
    thief.cookies[COOKIE] = own.cookies[COOKIE].value
    for _ in range(5):
        _attempt(thief, user.email, "guess", "198.51.100.2")
    assert LOCKED in _attempt(thief, user.email, PASSWORD, "198.51.100.2").content.decode()


def test_a_device_cookie_of_another_account_does_not_help(home_page, user, other_user):
    from django.test import Client

    from accounts.known_device import COOKIE

    mine = Client()
    _attempt(mine, other_user.email, PASSWORD, "198.51.100.1")
    for _ in range(5):
        _attempt(Client(), user.email, "guess", "203.0.113.66")
    borrowed = Client()
    borrowed.cookies[COOKIE] = mine.cookies[COOKIE].value
    assert LOCKED in _attempt(borrowed, user.email, PASSWORD, "198.51.100.1").content.decode()


def test_a_reset_link_lifts_the_per_account_lock(client, home_page, user, mailoutbox):
    from django.test import Client

    for _ in range(5):
        _attempt(Client(), user.email, "guess", "203.0.113.66")
    assert LOCKED in _attempt(Client(), user.email, PASSWORD, "192.0.2.5").content.decode()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    link = link[link.index("/accounts/") :]
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    client.post(action, {"password1": "brand-new-secret-77", "password2": "brand-new-secret-77"})
    response = _attempt(Client(), user.email, "brand-new-secret-77", "192.0.2.5")
    assert response.status_code == 302


def test_failures_across_accounts_lock_the_address(home_page, user):
    from django.test import Client

    for i in range(10):  # ACCOUNT_RATE_LIMITS["login_failed"]: 10 per minute per IP
        _attempt(Client(), f"someone{i}@example.com", "guess", "203.0.113.66")
    assert LOCKED in _attempt(Client(), user.email, PASSWORD, "203.0.113.66").content.decode()

"""Every way to log in is allauth's form, with its rules: an unverified address gets no session anywhere."""

import pytest
from django.contrib.auth.views import LoginView
from django.core import mail
from django.urls import get_resolver, resolve

from accounts.login_doors import admin_site_login, to_account_login
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_DOORS = ["/admin/login/", "/_util/login/", "/django-admin/login/"]


@pytest.mark.parametrize("door", OTHER_DOORS)
def test_an_unverified_account_gets_no_session_from_any_other_login_form(client, home_page, door):
    unverified = UserFactory(verified=False)
    response = client.post(door, {"username": unverified.email, "email": unverified.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/dashboard/").status_code == 302  # still anonymous


@pytest.mark.parametrize("door", OTHER_DOORS)
def test_even_a_verified_superuser_cannot_log_in_past_allauth(client, home_page, door):
    coach = StaffFactory()
    client.post(door, {"username": coach.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_unverified_account_is_refused_by_allauth_too(client, home_page):
    unverified = UserFactory(verified=False)
    client.post("/accounts/login/", {"login": unverified.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("protected", "door"), [("/admin/", "/admin/login/"), ("/django-admin/", "/django-admin/login/")]
)
def test_the_coach_reaches_the_admin_through_allauths_form(client, home_page, protected, door):
    coach = StaffFactory()
    response = client.get(protected)
    assert response.status_code == 302 and response["Location"].startswith(door)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(response["Location"], {"login": coach.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == protected
    assert client.get(protected).status_code == 200


def test_an_outside_next_is_dropped(client, home_page):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/"


def test_a_logged_in_leader_sent_to_an_admin_login_is_told_no_without_a_loop(client, home_page, user):
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


def test_wagtails_password_reset_is_allauths(client, home_page, user):
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/"
    client.post("/admin/password_reset/", {"email": user.email})
    assert mail.outbox == []
    assert client.get("/admin/password_reset/done/").status_code == 404


def _urls_without_arguments(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        has_arguments = "<" in route or "(" in route or "^" in route.lstrip("^") or "$" in route
        if has_arguments and not hasattr(pattern, "url_patterns"):
            continue
        route = route.lstrip("^").rstrip("$")
        if hasattr(pattern, "url_patterns"):
            yield from _urls_without_arguments(pattern, prefix + route)
        else:
            yield pattern, "/" + prefix + route


def test_no_reachable_url_renders_a_login_form_other_than_allauths(home_page):
    """Fails when a new URL (of any app) would check a password outside allauth's form."""
    from allauth.account.views import LoginView as AllauthLoginView

    doors = []
    for pattern, url in _urls_without_arguments(get_resolver()):
        view_class = getattr(pattern.callback, "view_class", None)
        is_django_login = view_class is not None and issubclass(view_class, LoginView)
        if is_django_login or (pattern.name or "").endswith("login"):
            doors.append(url)
            match = resolve(url)
            answered_by = getattr(match.func, "view_class", None) or match.func
            assert answered_by in (AllauthLoginView, to_account_login, admin_site_login), url
    assert {"/admin/login/", "/_util/login/", "/django-admin/login/", "/accounts/login/"} <= set(doors)


def test_the_one_reset_flow_is_rate_limited(client, home_page, user):
    for _ in range(25):
        client.post("/admin/password_reset/", {"email": user.email}, follow=True)
        client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 5  # ACCOUNT_RATE_LIMITS["reset_password"]: 5 per minute per address

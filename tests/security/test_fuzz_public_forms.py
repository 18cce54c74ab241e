"""Property-based fuzzing (hypothesis) of the public forms: whatever a visitor posts, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db

# Any text a browser can send, NUL bytes, lone surrogates' neighbours and long values included.
field = st.one_of(st.text(max_size=300), st.sampled_from(["", "²", "\x00", "America", "9" * 40, "-1", "a@b"]))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _ok(response) -> None:
    assert response.status_code < 500, response.status_code


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["session", "name", "email", "company", "role", "team_size", "question", "time_zone", "website"]
        ),
        field,
    )
)
def test_webinar_registration_never_fails(home_page, data):
    page = webinar(home_page) if not hasattr(home_page, "_fuzz_page") else home_page._fuzz_page
    home_page._fuzz_page = page
    _ok(Client(raise_request_exception=False).post(page.url, data))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["email", "first_name", "website", "source"]), field))
def test_newsletter_subscribe_never_fails(home_page, data):
    _ok(Client(raise_request_exception=False).post("/newsletter/subscribe/", data))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["login", "password", "remember", "next"]), field))
def test_login_never_fails(home_page, data):
    _ok(Client(raise_request_exception=False).post("/accounts/login/", data))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["full_name", "email", "company", "password1", "password2"]), field))
def test_signup_never_fails(home_page, data):
    _ok(Client(raise_request_exception=False).post("/accounts/signup/", data))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["program", "next", "session_id"]), field))
def test_checkout_return_pages_never_fail(home_page, params):
    client = Client(raise_request_exception=False)
    _ok(client.get("/checkout/cancel/", params))

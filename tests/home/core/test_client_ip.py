"""The client address behind the load balancer: one `client_ip` for every rate limit."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapter import AccountAdapter
from home.core.ratelimit import client_ip, rate_limit_exceeded
from tests.factories import PASSWORD

LB = "10.0.0.2"  # the load balancer: every request reaches the app from it


def request_from(xff: str | None = None, remote: str = LB):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7")) == LB
    assert client_ip(request_from()) == LB


@pytest.mark.parametrize(
    ("xff", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),  # what the load balancer appended
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),  # a forged left-most entry is ignored
        ("1.2.3.4,5.6.7.8 ,  198.51.100.7", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("1.2.3.4, not-an-ip", LB),  # garbage where our proxy writes: fall back, never trust the left
        ("", LB),
        (None, LB),
    ],
)
def test_one_trusted_proxy_takes_the_right_most_entry(settings, xff, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(xff)) == expected


def test_two_trusted_proxies_skip_the_inner_one(settings):
    settings.TRUSTED_PROXY_COUNT = 2  # CDN -> load balancer -> app
    assert client_ip(request_from("1.2.3.4, 198.51.100.7, 203.0.113.9")) == "198.51.100.7"
    assert client_ip(request_from("198.51.100.7")) == "198.51.100.7"  # fewer entries than proxies


def test_visitors_behind_the_load_balancer_get_their_own_bucket(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    alice, bob = request_from("198.51.100.7"), request_from("198.51.100.8")
    assert not any(rate_limit_exceeded(alice, scope="t", limit=2, window_seconds=60) for _ in range(2))
    assert rate_limit_exceeded(alice, scope="t", limit=2, window_seconds=60)
    assert not rate_limit_exceeded(bob, scope="t", limit=2, window_seconds=60)
    # Rotating a forged left-most entry does not give a fresh bucket.
    assert rate_limit_exceeded(request_from("9.9.9.9, 198.51.100.7"), scope="t", limit=2, window_seconds=60)


def test_allauth_uses_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert AccountAdapter().get_client_ip(request_from("1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@pytest.mark.django_db
def test_certificate_lookups_are_limited_per_visitor_not_per_load_balancer(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD"])
    for n in range(30):  # CERTIFICATE_VERIFY_RATE: 30 lookups per minute
        spoofed = f"10.9.{n}.1, 198.51.100.7"
        assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR=spoofed).status_code == 404
    assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="8.8.8.8, 198.51.100.7").status_code == 429
    assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 404


@pytest.mark.django_db
def test_newsletter_sign_ups_are_limited_per_visitor(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("home:newsletter_subscribe")
    for n in range(10):
        data = {"email": f"reader{n}@example.com"}
        response = client.post(url, data, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR=f"7.7.7.{n}, 198.51.100.7")
        assert "Too many sign-ups" not in response.content.decode()
    limited = client.post(url, {"email": "x@example.com"}, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert "Too many sign-ups" in limited.content.decode()
    other = client.post(url, {"email": "y@example.com"}, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert "Too many sign-ups" not in other.content.decode()


@pytest.mark.django_db
def test_failed_logins_lock_the_visitor_not_the_load_balancer(client, home_page, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("account_login")
    for n in range(10):  # login_failed: 10 per minute per address
        client.post(
            url,
            {"login": f"nobody{n}@example.com", "password": "guess"},
            REMOTE_ADDR=LB,
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 198.51.100.7",
        )
    blocked = client.post(
        url, {"login": "someone@example.com", "password": "guess"}, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    ok = client.post(
        url, {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert ok.status_code == 302 and "_auth_user_id" in client.session

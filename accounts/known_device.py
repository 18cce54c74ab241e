"""Known devices: a stranger's wrong passwords must not lock the real person out.

allauth limits failed log-ins per address (`ACCOUNT_RATE_LIMITS["login_failed"]`, per IP and per
account). The per-account bucket alone would let anyone lock a person out by typing wrong passwords
for them. So a browser that has logged in to the account before carries a signed cookie naming the
account and a random device id, and its attempts count in a bucket of their own (still per account,
still per IP). A reset link clears the per-account bucket (allauth does that on a successful reset).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

COOKIE = "huddle_device"
SALT = "accounts.known_device"
MAX_AGE = 180 * 24 * 3600


def _read(request: HttpRequest) -> dict | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    ok = isinstance(value, dict) and isinstance(value.get("u"), int) and isinstance(value.get("d"), str)
    return value if ok else None


def device_for_login(request: HttpRequest, login: str) -> str | None:
    """The device id when this browser has logged in to the account `login` names before, else None."""
    from allauth.account.models import EmailAddress

    value = _read(request)
    if value is None or not login:
        return None
    owns = EmailAddress.objects.filter(user_id=value["u"], email__iexact=login.strip(), verified=True).exists()
    return value["d"] if owns else None


def remember_device(request: HttpRequest, response: HttpResponseBase, user) -> None:
    """After a successful log-in: mark this browser as a known device of `user`."""
    value = _read(request)
    device = value["d"] if value and value["u"] == user.pk else secrets.token_urlsafe(16)
    response.set_cookie(
        COOKIE,
        signing.dumps({"u": user.pk, "d": device}, salt=SALT),
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

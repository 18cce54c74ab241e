"""Seeing what the site does: error tracking (Sentry, only when SENTRY_DSN is set) and the
request id that ties a request's log lines together (django-guid, header `X-Request-ID`).

No personal data leaves for Sentry: `send_default_pii` is off (no user, IP, cookies or bodies),
stack frames go without their local variables, and `scrub` drops what an integration might still attach (query strings, headers, cookies, form
data, the user) before an event is sent.
"""

from __future__ import annotations

from typing import Any

KEEP_HEADERS = {"User-Agent", "Referer", "Host", "X-Request-Id"}


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send: keep what helps debug (url path, method, the stack), drop the rest."""
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        request.pop(key, None)
    if "headers" in request:
        request["headers"] = {k: v for k, v in request["headers"].items() if k in KEEP_HEADERS}
    event.pop("user", None)
    return event


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float, **extra) -> None:
    """Turn error tracking on (called from settings when SENTRY_DSN is set)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,  # a frame's locals may hold a user, an email, a form
        before_send=scrub,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        **extra,
    )

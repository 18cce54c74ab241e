"""Seeing what the site does: error tracking (Sentry, only when SENTRY_DSN is set) and the
request id that ties a request's log lines together (django-guid, header `X-Request-ID`).

No personal data leaves for Sentry: `data_collection` turns off the user, cookies, bodies, query
strings, SQL parameters and stack-frame variables, and `scrub` drops what an integration might still attach (query strings, headers, cookies, form
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
        # No user, cookies, bodies, query strings, SQL parameters or a frame's locals (which may hold
        # a user, an email, a form); only a few harmless request headers.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEEP_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        before_send=scrub,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        **extra,
    )

"""Seeing what the site does: error tracking (Sentry, only when SENTRY_DSN is set) and the
request id that ties a request's log lines together (`RequestIdMiddleware`, header `X-Request-ID`).

No personal data leaves for Sentry: `data_collection` turns off the user, cookies, bodies, query
strings, SQL parameters and stack-frame variables, and `scrub` drops what an integration might still attach (query strings, headers, cookies, form
data, the user) before an event is sent.
"""

from __future__ import annotations

import logging
import os
import re
from contextvars import ContextVar
from typing import Any

KEEP_HEADERS = {"User-Agent", "Referer", "Host", "X-Request-Id"}
REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy or load balancer sent is kept when it looks like one (a UUID, AWS's "Root=1-...",
# a short token); anything else (too long, spaces, quotes) is replaced by a new id.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:;=+/@-]{1,200}")
_request_id: ContextVar[str | None] = ContextVar("huddle_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this code runs for (or of the last one this thread served)."""
    return _request_id.get()


def start_request(*, given: str | None) -> str:
    """The id of the request starting now: `given` (its `X-Request-ID`) when it looks like one, else
    32 random hex digits; set for the log lines until the next request. The middleware below calls
    it, and so does the page cache's WSGI layer for a hit (`home/core/caching/wsgi_hit.py`)."""
    request_id = given if given and _GIVEN_ID.fullmatch(given) else os.urandom(16).hex()
    _request_id.set(request_id)
    return request_id


class RequestIdMiddleware:
    """Give every request an id: the `X-Request-ID` it came with, else 32 random hex digits. The id
    goes back in the response's `X-Request-ID` and on every log line (`RequestIdFilter`), those
    Django writes after the middleware returns (a 404's or a 500's "django.request" line) included:
    it stays set until the next request replaces it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = start_request(given=request.META.get("HTTP_X_REQUEST_ID"))
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the request id on every log record as `correlation_id` (LOGGING's formatters print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _request_id.get()
        return True


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

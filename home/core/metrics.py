"""Metrics for Prometheus, at `/metrics`, for whoever holds the token (never public).

What is measured:
- requests: `RequestMetricsMiddleware`, first in MIDDLEWARE, so its time is the whole request (every
  middleware included, page-cache hits too): `django_http_requests_latency_seconds_by_view_method`
  (histogram: count and latency by view and method), `django_http_responses_total_by_status_view_method`
  (responses by status; a webhook's outcomes are its view's status codes),
  `django_http_exceptions_total_by_type` and `_by_view`. The names and labels are django-prometheus's
  (dashboards keep working); its other request metrics (request/response sizes, by transport, by
  charset, by template...) are not kept: they cost about ten file writes a request;
- emails: `huddle_emails_sent_total`, `huddle_email_attempts_failed_total`, counted where the
  worker sends (home.core.mail); `huddle_tasks_failed_total{task}`: tasks that failed for good;
- at scrape time, from the database: whatever the apps register with `register_collector` in
  their `ready()` (home.runtime: the task queue's depth and age, the scheduler's lease holder,
  the heartbeats' ages). One failing collector is reported as `huddle_collector_up 0`, never a 500.

Several processes: gunicorn's workers, the task worker and the scheduler each count in their own
memory, so with PROMETHEUS_MULTIPROC_DIR set (production sets it; config/gunicorn.py tidies it)
prometheus-client writes every process's counters to files there and the endpoint adds them up:
one scrape of any web process on a machine sees the whole machine. Scrape every machine.

The endpoint answers 404 while METRICS_TOKEN is unset, 403 without `Authorization: Bearer
<METRICS_TOKEN>`; a short token fails `check --deploy`.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import checks
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger(__name__)
MIN_TOKEN_LENGTH = 32

EMAILS_SENT = Counter("huddle_emails_sent", "Emails the mail server accepted.")
EMAIL_ATTEMPTS_FAILED = Counter(
    "huddle_email_attempts_failed", "Attempts to send an email that raised (retried with backoff until the last)."
)
TASKS_FAILED = Counter(
    "huddle_tasks_failed", "Background tasks that failed for good, after their last attempt.", ["task"]
)

REQUEST_LATENCY = Histogram(
    "django_http_requests_latency_seconds_by_view_method",
    "Histogram of request processing time (every middleware included) labelled by view.",
    ["view", "method"],
    buckets=getattr(settings, "PROMETHEUS_LATENCY_BUCKETS", Histogram.DEFAULT_BUCKETS),
)
RESPONSES = Counter(
    "django_http_responses_total_by_status_view_method",
    "Count of responses by status, view, method.",
    ["status", "view", "method"],
)
EXCEPTIONS_BY_TYPE = Counter("django_http_exceptions_total_by_type", "Count of exceptions by object type.", ["type"])
EXCEPTIONS_BY_VIEW = Counter("django_http_exceptions_total_by_view", "Count of exceptions by view.", ["view"])
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"))
UNNAMED = "<unnamed view>"

_collectors: dict[str, Callable[[], Iterable[Metric]]] = {}


def register_collector(name: str, collect: Callable[[], Iterable[Metric]]) -> None:
    """Add metrics read at scrape time (from an app's `ready()`); `collect()` yields metric families."""
    _collectors[name] = collect


class _RegisteredCollectors:
    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "huddle_collector_up", "1 when the collector answered at this scrape.", labels=["collector"]
        )
        for name, collect in sorted(_collectors.items()):
            try:
                families = list(collect())
            except Exception:  # the database may be down: say so, and serve the rest
                logger.warning("metrics: collector %s failed", name, exc_info=True)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


def metrics_text() -> bytes:
    """Every metric in Prometheus' text format: all processes' counters when they share
    PROMETHEUS_MULTIPROC_DIR, else this process's; then the registered collectors."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(_RegisteredCollectors())
    return text + generate_latest(scraped)


def _view_name(request: HttpRequest) -> str:
    """The URL name the request resolved to, or the one a middleware answered for (`metrics_view`:
    a page-cache hit says "wagtail_serve"), else "<unnamed view>" (a 404, a redirect to HTTPS)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or UNNAMED
    return getattr(request, "metrics_view", UNNAMED)


_latency: dict[tuple[str, str], object] = {}
_responses: dict[tuple[str, str, str], object] = {}


def count_request(*, view: str, method: str, status: int, elapsed: float) -> None:
    """Record one request: its latency by view and method, its response by status (each labelled
    series looked up once per process). The middleware below calls it, and so does the page cache's
    WSGI layer for a hit it answers before Django (`home/core/caching/wsgi_hit.py`)."""
    method = method if method in METHODS else "<invalid method>"
    key = (view, method)
    latency = _latency.get(key)
    if latency is None:
        latency = _latency[key] = REQUEST_LATENCY.labels(view, method)
    latency.observe(elapsed)
    counted = (str(status), view, method)
    responses = _responses.get(counted)
    if responses is None:
        responses = _responses[counted] = RESPONSES.labels(*counted)
    responses.inc()


class RequestMetricsMiddleware:
    """Count and time every request, first in MIDDLEWARE: three observations a request (latency sum
    and bucket, the response counter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        count_request(view=_view_name(request), method=request.method, status=response.status_code, elapsed=elapsed)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A view raised (Django turns it into a 500 or 4xx response after this)."""
        EXCEPTIONS_BY_TYPE.labels(type(exception).__name__).inc()
        EXCEPTIONS_BY_VIEW.labels(_view_name(request)).inc()


def _token_matches(request: HttpRequest, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        raise Http404("Metrics are off (METRICS_TOKEN is not set).")
    if not _token_matches(request, token):
        return HttpResponse("A bearer token is required.\n", status=403, content_type="text/plain")
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


@checks.register(checks.Tags.security, deploy=True)
def metrics_token_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and len(token) < MIN_TOKEN_LENGTH:
        return [
            checks.Warning(
                f"METRICS_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters.",
                hint="Use a long random value, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`.",
                id="huddle.W020",
            )
        ]
    return []

"""Logging, request ids and error tracking, read from the environment like every other setting."""

import environ

env = environ.Env()

# --- Logging, request ids, error tracking -------------------------------------------
# Every request gets an id (the X-Request-ID it came with, from a proxy, or a new one), returned
# in the response and written on every log line of that request (home/core/observability.py).
# LOG_FORMAT=json (production's default) writes one JSON object a line, for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "home.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "correlation_id": "request_id"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},  # runtime: our scheduler logs what it enqueues
    },
}
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:  # off unless set; never sends personal data (home/core/observability.py)
    from home.core.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Metrics (Prometheus, home/core/metrics.py) ------------------------------------------
# /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>" (404 while unset). Each
# process of a machine writes its counters under PROMETHEUS_MULTIPROC_DIR (production defaults it
# to var/metrics), and one scrape adds them up.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, float("inf"))

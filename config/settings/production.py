"""Production: no default for secrets, every security setting on.

A missing secret stops start-up with a message naming the variable.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production and is not set.")
    return value


SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) or [_required("ALLOWED_HOSTS")]
# base.py built DATABASES from it, with the PostgreSQL engine that retries a refused connection,
# the statement timeouts and jit=off: production must not rebuild it without them.
_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # base.py closes a SQLite connection after every request (the dev server's thread per request
    # cannot reuse it); gunicorn's workers can, and reopening costs every request a connect, its
    # PRAGMAs and SQLite's parse of the whole schema: ~5 ms of CPU on the lesson page (issue 16).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
# The public address: previews, sitemaps, emails and absolute links are built from it (and
# `manage.py site_from_env` copies it into Wagtail's Site at deploy).
SITE_URL = _required("SITE_URL").rstrip("/")
if urlsplit(SITE_URL).hostname in (None, "localhost", "127.0.0.1", "::1") or urlsplit(SITE_URL).scheme != "https":
    raise ImproperlyConfigured(f"SITE_URL must be the site's public https:// address, not {SITE_URL!r}.")
WAGTAILADMIN_BASE_URL = SITE_URL
# Mail must come from the business's real address, never the development default.
DEFAULT_FROM_EMAIL = _required("DEFAULT_FROM_EMAIL")
if DEFAULT_FROM_EMAIL.rstrip(">").endswith((".localhost", ".test", ".invalid", ".example")):
    raise ImproperlyConfigured(f"DEFAULT_FROM_EMAIL must be a real sender address, not {DEFAULT_FROM_EMAIL!r}.")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)  # its own sender when set

# Several app processes share sessions, caches (page cache, program outline, version counters)
# and rate-limit buckets: a per-process memory cache would make them disagree.
_required("REDIS_URL")
CERTIFICATE_SIGNING_KEY = _required("CERTIFICATE_SIGNING_KEY")  # signs every Open Badges credential

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]  # the load balancer's and Prometheus' own requests
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
WHITENOISE_MAX_AGE = 31536000
LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")  # noqa: F405

# Metrics of every process on this machine (gunicorn's workers, the task worker, the scheduler) in
# one folder, added up at each scrape. Set here, before any app imports prometheus-client, so the
# three processes agree without configuration; config/gunicorn.py removes dead processes' files.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(VAR_DIR / "metrics"))  # noqa: F405
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

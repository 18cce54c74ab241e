"""Huddle settings, read from the environment with development defaults.

Every value has an embedded default that suits a laptop (SQLite under var/, local memory
cache, console email, the database task backend). `config.settings.production` removes the
defaults for secrets and turns on every security setting.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Proxies in front of the app that append to X-Forwarded-For (1 behind one load balancer); 0 trusts
# only REMOTE_ADDR. Rate limits and the consent ledger key on home.core.ratelimit.client_ip().
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Huddle"

INSTALLED_APPS = [
    # our apps first so their templates and commands win
    "accounts",
    "home",
    "home.newsletter",
    "home.runtime",
    "program",
    "program.payments",
    "program.certificates",
    "program.webinars",
    "lessons",
    "tracker",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_apps.HuddleUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # auth
    "allauth",
    "allauth.account",
    # security headers
    "csp",
    # background work
    "django_tasks",
    "django_tasks_db",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "home.core.metrics.RequestMetricsMiddleware",  # first: counts and times every request, page-cache hits too
    "home.core.observability.RequestIdMiddleware",  # the request id, before anything can log
    "django.middleware.security.SecurityMiddleware",  # the HTTPS redirect before anything is served
    "home.core.caching.page_cache.AnonymousPageCacheMiddleware",  # anonymous Wagtail pages: a hit returns here
    # CSP (django-csp), Permissions-Policy, and Cache-Control: private, no-store for logged-in people
    "home.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.core.caching.versions.VersionScopeMiddleware",  # each cache version read once per request
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "home.core.security.RejectNulCharactersMiddleware",  # NUL in a path or field: 400, never a 500
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "home.admin_views.permissions.AdminPermissionsMiddleware",  # the admin: the user's Wagtail permissions, kept
    "home.core.messages.LazyMessageMiddleware",  # Django's, with the storage made on first use
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_chrome",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'huddle.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server, the task worker and the benchmark read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, but a connection refused while the server restarts is opened again
    # (up to DATABASE_CONNECT_RETRY_SECONDS, with backoff) instead of answering 500.
    DATABASES["default"]["ENGINE"] = "home.core.db.postgresql"
DATABASE_CONNECT_RETRY_SECONDS = env.float("DATABASE_CONNECT_RETRY_SECONDS", default=3.0)
# --- Database timeouts (tracker integrity block) ---------------------------------------
# No query outlives its request: gunicorn kills a worker after 60 s, but PostgreSQL would go on
# running its statement and holding its row locks, so the next save and undo time out too.
# statement_timeout ends any statement first; idle_in_transaction_session_timeout ends a session
# left inside a transaction. 0 turns either off (e.g. DB_STATEMENT_TIMEOUT_MS=0 for a long migration).
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = env.int("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", default=60_000)
if DATABASES["default"]["ENGINE"] == "home.core.db.postgresql":
    # jit=off: our queries are short lookups, and a table never analyzed (autovacuum skips tables
    # under 50 rows, e.g. three programs) can make the planner guess a cost in the billions, which
    # turns on JIT compilation: ~1 s of compiling for a 1 ms query (docs/performance.md, search).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} "
        f"-c idle_in_transaction_session_timeout={DB_IDLE_IN_TRANSACTION_TIMEOUT_MS} "
        "-c jit=off"
    )
    # Server-side binding: psycopg prepares a statement run 5 times on a connection, so PostgreSQL
    # plans it once per connection, not per request (demo lesson page: its CPU 1.7 -> 0.3 ms; README
    # Performance). DB_SERVER_SIDE_BINDING=False for a PgBouncer in transaction mode before 1.21.
    if env.bool("DB_SERVER_SIDE_BINDING", default=True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5  # Django's own default is None: never
# --- end of the database timeouts block ------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": "huddle",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # `make run` sets CACHE_DIR: its web server, worker and scheduler share one cache in that folder,
    # so a version one of them moves (a scheduled publish) reaches the others. Sessions in the database.
    CACHE_DIR = env("CACHE_DIR", default="")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if CACHE_DIR:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# --- Caching pieces turned off, to measure each (home/core/caching/switches.py; `make bench`). ---
CACHING_OFF = env.list("CACHING_OFF", default=[])


def _git_commit() -> str:
    """The checked-out commit (short), or "" outside a git checkout."""
    import subprocess

    try:
        done = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


# Part of every key the caching package builds (home/core/caching): a deploy starts with fresh keys.
RELEASE = env("RELEASE", default="") or _git_commit() or "dev"

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's own backends with a cheaper per-request user load (accounts/auth_backends.py).
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Huddle] "
# Issue 18: tell the user when their password or login address changes (the old address too);
# allauth sends these through AccountAdapter.send_mail, i.e. the task queue.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Shared media for several app servers: any S3-compatible store (AWS, MinIO, R2...).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# `manage.py backup --to s3://...` (home/core/backup_s3.py): another S3-compatible provider than the media's.
BACKUP_S3_ENDPOINT_URL = env("BACKUP_S3_ENDPOINT_URL", default=env("AWS_S3_ENDPOINT_URL", default=""))
BACKUP_S3_REGION_NAME = env("BACKUP_S3_REGION_NAME", default=env("AWS_S3_REGION_NAME", default=""))
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Email ----------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Huddle <hello@huddle.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Email provider (django-anymail), on when ANYMAIL_ESP names one (postmark, mailgun, sendgrid,
# amazon_ses, brevo, ...). Its settings come from ANYMAIL_* variables, prefix removed: e.g.
# ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET ("user:password" of the tracking webhook,
# /anymail/<esp>/tracking/). Bounces and complaints arriving there suppress the address.
ANYMAIL_ESP = env("ANYMAIL_ESP", default="")
ANYMAIL = {
    k.removeprefix("ANYMAIL_"): v for k, v in os.environ.items() if k.startswith("ANYMAIL_") and k != "ANYMAIL_ESP"
}
if ANYMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
# Every message passes the suppression list first (home/core/mail_suppression.py), then the real backend.
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
EMAIL_BACKEND = "home.core.mail_suppression.SuppressingBackend"

# --- Background work (django-tasks) ---------------------------------------------------
TASKS = {"default": {"BACKEND": env("TASK_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# --- Runtime: worker, scheduler, retries, Redis that may fail (home.runtime) -----------
# Outbound email goes through the task queue (home.core.mail); the worker is `manage.py
# run_worker`, the scheduler `manage.py run_scheduler` (both in the Procfile).
SCHEDULED_TASKS = {
    # name: {"task": dotted path of a django-tasks task, "cron": crontab in TIME_ZONE}
    "wagtail-publish-scheduled": {"task": "home.runtime.tasks.scheduled_pages_publish", "cron": "* * * * *"},
    "webinar-emails": {"task": "program.webinars.tasks.webinar_emails_send_due", "cron": "* * * * *"},
    "newsletter-due-issues": {"task": "home.newsletter.tasks.newsletter_due_issues_send", "cron": "* * * * *"},
    "module-open-emails": {"task": "lessons.tasks.send_module_open_emails", "cron": "*/5 * * * *"},
    "heartbeats-prune": {"task": "home.runtime.tasks.heartbeats_prune", "cron": "17 3 * * *"},
    "task-results-prune": {"task": "home.runtime.tasks.task_results_prune", "cron": "41 3 * * *"},
}
# A worker or scheduler silent this long is dead; a standby scheduler takes over within it (+5 s).
RUNTIME_LEASE_SECONDS = env.int("RUNTIME_LEASE_SECONDS", default=30)
if REDIS_URL:
    # A Redis that is down or frozen costs a cache miss, never a 500 or a hanging request:
    # short socket timeouts and errors ignored (logged). Sessions are written to the database
    # too, so a Redis hiccup logs nobody out.
    CACHES["default"]["OPTIONS"].update(
        {
            "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
            "SOCKET_TIMEOUT": env.float("REDIS_SOCKET_TIMEOUT", default=0.25),
            "IGNORE_EXCEPTIONS": True,
        }
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "accounts.sessions"  # cached_db, read through quick_read
# The newsletter comes from its own address (a separate reputation from sign-up and webinar mail).
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
# Flush each newsletter "sent" stamp to disk before the next message (slower: ~6 ms a message on a
# plain disk). Off: a worker crash still repeats at most one message, a database crash up to ~0.6 s.
NEWSLETTER_DURABLE_STAMPS = env.bool("NEWSLETTER_DURABLE_STAMPS", default=True)
# --- end runtime ------------------------------------------------------------------------

# --- Tracker: the leader's monthly rhythm (issue 17; tracker/rhythm/) ---------------------
# Reminders and the monthly digest go out from this hour of the leader's own day (their profile's
# time zone), checked hourly; each is claimed once per leader, team, kind and occasion.
RHYTHM_SEND_HOUR = env.int("RHYTHM_SEND_HOUR", default=7)
SCHEDULED_TASKS["tracker-rhythm"] = {"task": "tracker.rhythm.tasks.rhythm_reminders_send_due", "cron": "5 * * * *"}

# --- Payments (off unless the keys are set) -------------------------------------------
# --- Tracker: mail a leader makes the site send (targets, celebration notes), per leader per day.
TRACKER_LEADER_EMAILS_PER_DAY = env.int("TRACKER_LEADER_EMAILS_PER_DAY", default=500)

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # tests point this at a local server
PAYMENTS_ENABLED = bool(STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)
# Stripe Tax (the buyer's address decides the tax, added on top of the price): the coach turns it
# on or off in Settings > Site settings > Payments; this only sets the starting value for a new site.
STRIPE_AUTOMATIC_TAX = env.bool("STRIPE_AUTOMATIC_TAX", default=False)

# --- Webinars -------------------------------------------------------------------------
# Attendance is final this long after a session ends (time to import the meeting's participant
# export): replay and follow-up emails wait for it.
WEBINAR_ATTENDANCE_FINAL_AFTER_MINUTES = env.int("WEBINAR_ATTENDANCE_FINAL_AFTER_MINUTES", default=120)
# An attendee with fewer minutes than this share of the session "left early".
WEBINAR_LEFT_EARLY_SHARE = env.float("WEBINAR_LEFT_EARLY_SHARE", default=0.5)

# --- Signed certificates (Open Badges 3.0 as VC-JWT) ----------------------------------
# An RSA private key in PEM (newlines may be written as \n). Empty in development: a key is
# generated once into CERTIFICATE_DEV_KEY_PATH. Production requires the variable.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_DEV_KEY_PATH = VAR_DIR / "certificate-signing-key.pem"

# --- Wagtail --------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # every document goes through our permission hook
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin CSP blocks other origins: Wagtail's own avatar, no email hash sent

# --- Logging, request ids, error tracking: config/settings/observability.py -----------------
from .observability import *  # noqa: E402, F403

# --- Security: one door in, CSP, Permissions-Policy: config/settings/security.py -----------
from .security import *  # noqa: E402, F403

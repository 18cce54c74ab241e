"""gunicorn settings for Huddle: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be overridden by the environment (GUNICORN_* below, or gunicorn's own
GUNICORN_CMD_ARGS). Sync workers: requests are short and the database does the waiting.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# A request that takes longer than this is killed (and its database session with it, so no row
# lock outlives it); the database's own statement timeout is shorter still.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On a deploy or a restart, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle workers now and then so no slow leak grows without bound; jitter so they don't all go at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

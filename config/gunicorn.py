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

# --- Metrics: prometheus-client's multiprocess mode (home/core/metrics.py) ------------------
# Every worker writes its counters to files in PROMETHEUS_MULTIPROC_DIR and /metrics adds up the
# folder, so a scrape that lands on any worker sees them all. The same default as production's
# settings (var/metrics), so the task worker and the scheduler on this machine write there too.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "metrics"),
)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server):
    """Start from a tidy folder: drop the files of processes that are gone (an earlier run's), keep
    those of the live task worker and scheduler."""
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        pid = name.rsplit("_", 1)[-1].removesuffix(".db")
        if name.endswith(".db") and pid.isdigit() and not _pid_alive(int(pid)):
            os.remove(os.path.join(_metrics_dir, name))


def child_exit(server, worker):
    """A worker that stopped (max_requests, a timeout) leaves its counters; its live gauges go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, _metrics_dir)

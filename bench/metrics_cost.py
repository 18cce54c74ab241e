"""What the Prometheus middleware costs per request: `.venv/bin/python bench/metrics_cost.py`.

In process (Django's test client, no network), the same cheap view (robots.txt) served with and
without the metrics middleware (`home/core/metrics.py`), in the multiprocess mode production uses (every
observation written to a file-backed mmap under PROMETHEUS_MULTIPROC_DIR). Rounds alternate so a
busy machine affects both alike; prints the median per-request time of each and the difference.
Also times one scrape of /metrics with N gunicorn workers' worth of files.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="huddle-metrics-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PROMETHEUS = {"home.core.metrics.RequestMetricsMiddleware"}
REQUESTS, ROUNDS = int(os.environ.get("REQUESTS", 500)), int(os.environ.get("ROUNDS", 7))


def per_request_us(client: Client) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS):
        client.get("/robots.txt")
    return (time.perf_counter() - started) / REQUESTS * 1e6


def main() -> None:
    setup_test_environment()
    with_metrics = Client()
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in PROMETHEUS]):
        without_metrics = Client()
        without_metrics.get("/robots.txt")
    with_metrics.get("/robots.txt")
    timings = {"with": [], "without": []}
    for _ in range(ROUNDS):
        timings["with"].append(per_request_us(with_metrics))
        with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in PROMETHEUS]):
            timings["without"].append(per_request_us(without_metrics))
    on, off = statistics.median(timings["with"]), statistics.median(timings["without"])
    print(f"robots.txt in process, median of {ROUNDS} rounds of {REQUESTS} requests:")
    print(f"  with the metrics middleware    {on:8.0f} µs/request")
    print(f"  without                        {off:8.0f} µs/request")
    print(f"  cost                           {on - off:8.0f} µs/request ({(on - off) / off:+.0%})")

    from home.core import metrics

    metrics._collectors.clear()  # the database's part is timed by the tests, not here
    started = time.perf_counter()
    for _ in range(20):
        metrics.metrics_text()
    print(
        f"  one scrape (runtime collector off, {len(os.listdir(os.environ['PROMETHEUS_MULTIPROC_DIR']))} files): "
        f"{(time.perf_counter() - started) / 20 * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()

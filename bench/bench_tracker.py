"""Tracker timings for a big team (200 members x 36 months x 6 metrics): the rankings page and
the meeting PDF, p50/p95 over `repeat` requests (default 10) through the test client.

run(ctx) -> rows; `ctx` may carry "repeat". Builds the team inside a transaction that is rolled
back, so nothing stays behind. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_tracker as b; print(b.run({}))"
"""

import statistics
import time
import uuid

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

MEMBERS, MONTHS, METRICS = 200, 36, 6


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _repeat(ctx) -> int:
    value = ctx.get("repeat") if isinstance(ctx, dict) else getattr(ctx, "repeat", None)
    return int(value or 10)


def _time(client: Client, url: str, repeat: int, *, cold: bool = False) -> tuple[list[float], int]:
    from django.core.cache import cache

    client.get(url)  # warm up (fonts, templates)
    samples = []
    for _ in range(repeat):
        if cold:
            cache.clear()  # the meeting PDF is cached by content; "cold" measures a real render
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return samples, len(queries.captured_queries)


def run(ctx) -> list[dict]:
    from accounts.models import User
    from tracker.attainment import add_months
    from tracker.bulk_sample import build_team
    from tracker.models import TrackerAccess
    from tracker.selectors import current_month

    repeat = _repeat(ctx)
    with transaction.atomic():
        leader = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:8]}@bench.invalid", full_name="Bench Leader")
        TrackerAccess.objects.create(user=leader)
        team = build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=METRICS)
        client = Client()
        client.force_login(leader)
        month = add_months(current_month(), -1)
        rankings, rankings_queries = _time(client, reverse("tracker:rankings", args=[team.pk, month]), repeat)
        pdf_url = reverse("tracker:meeting_pdf", args=[team.pk, month])
        meeting_pdf, pdf_queries = _time(client, pdf_url, max(3, repeat // 2), cold=True)
        cached_pdf, _ = _time(client, pdf_url, repeat)
        dashboard, dashboard_queries = _time(client, reverse("tracker:team", args=[team.pk]), repeat)
        transaction.set_rollback(True)
    size = f"{MEMBERS}x{MONTHS}x{METRICS}"
    return [
        {
            "name": f"tracker rankings page ({size})",
            "n": len(rankings),
            **_percentiles(rankings),
            "queries": rankings_queries,
            "target_ms": 500,
        },
        {
            "name": f"tracker meeting PDF ({size})",
            "n": len(meeting_pdf),
            **_percentiles(meeting_pdf),
            "queries": pdf_queries,
            "target_ms": 3000,
        },
        {
            "name": f"tracker meeting PDF, cached ({size})",
            "n": len(cached_pdf),
            **_percentiles(cached_pdf),
            "target_ms": 500,
        },
        {
            "name": f"tracker team dashboard ({size})",
            "n": len(dashboard),
            **_percentiles(dashboard),
            "queries": dashboard_queries,
            "target_ms": 800,
        },
    ]


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    for row in run({}):
        print(row)

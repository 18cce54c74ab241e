"""CPU time per request, the load-independent measure (bench/README.md, "CPU ratios").

For the bare view and every page in bench/pages.py: the CPU seconds this process spends
(`time.process_time()`) over `repeat` x 20 requests through Django's test client (the whole
middleware stack), plus the CPU the PostgreSQL backend of this connection spent meanwhile (read
from /proc when the server is local), per request. The ratio is bare-view CPU / page CPU, which is
what the throughput ratio on an idle machine tends to when the workers are CPU-bound (2 workers on
2 cores); CPU time barely moves when other processes share the cores, wall-clock time does.
Then the middleware: each one's CPU cost on the bare view (the view timed without it).

Run alone against a seeded database:
    .venv/bin/python manage.py shell -c "import bench.bench_cpu as b; [print(r) for r in b.run({})]"
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings

from bench.pages import TARGETS, leader_pages
from bench.run import count_queries, repeat_of
from bench.settings_default_middleware import DEFAULT_MIDDLEWARE

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _backend_stat() -> Path | None:
    """/proc/<pid>/stat of this connection's PostgreSQL backend, when readable here."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    return path if path.exists() else None


def _backend_cpu(stat: Path | None) -> float:
    if stat is None:
        return 0.0
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def client_for(email: str | None) -> Client:
    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def cpu_per_request(client: Client, url: str, n: int, min_cpu: float = 0.3) -> tuple[float, float]:
    """(app CPU ms, database backend CPU ms) per request, after two warm-up requests: at least `n`
    requests and at least `min_cpu` seconds of CPU (a sub-millisecond page needs hundreds of
    requests before a context switch or a garbage collection stops showing)."""
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    stat = _backend_stat()
    db_before, started, count = _backend_cpu(stat), time.process_time(), 0
    while count < n or time.process_time() - started < min_cpu:
        client.get(url)
        count += 1
    app = time.process_time() - started
    db = _backend_cpu(stat) - db_before
    return app * 1000 / count, db * 1000 / count


def _http_columns(row: dict | None, bare_cpu: float | None) -> dict:
    if not row or not row.get("server_cpu_ms") or not bare_cpu:
        return {}
    return {
        "http req/s": row["requests/s"],
        "errors": row["errors"],
        "server_cpu_ms": row["server_cpu_ms"],
        "http cpu ratio": f"{bare_cpu / row['server_cpu_ms']:.2f}x",
    }


def middleware_rows(n: int) -> list[dict]:
    """Each middleware's CPU cost on the bare view: the stack built up one middleware at a time, in
    order (so each one's dependencies are in place), each row the cost the next one adds."""
    from django.conf import settings

    rows = []
    with override_settings(MIDDLEWARE=[]):
        before = cpu_per_request(client_for(None), "/bench/baseline", n)[0]
    for count, name in enumerate(settings.MIDDLEWARE, start=1):
        with override_settings(MIDDLEWARE=settings.MIDDLEWARE[:count]):
            ms = cpu_per_request(client_for(None), "/bench/baseline", n)[0]
        rows.append({"scenario": f"middleware {name.rsplit('.', 1)[-1]}", "cpu_us": round((ms - before) * 1000)})
        before = ms
    return rows


def http_cpu(ctx, pages) -> dict[str, dict]:
    """Over HTTP against the bench's gunicorn (when there is one): each page's server CPU per
    request (its workers' CPU time, /proc) and requests/s, `BENCH_CPU_SECONDS` (3) a page."""
    if not getattr(ctx, "server_pid", None):
        return {}
    short = type(ctx)(**{**ctx.__dict__, "seconds": float(os.environ.get("BENCH_CPU_SECONDS", "3"))})
    cookies = {email: short.session_cookie(email) for _, email, _, _ in pages if email}
    measured = {"bare": short.measure("bare", "/bench/baseline")}
    for name, email, url, _ in pages:
        measured[name] = short.measure(name, url, cookie=cookies.get(email))
    again = short.measure("bare", "/bench/baseline")  # the bare view again: the lesser CPU of the two
    if again.get("server_cpu_ms", 0) and again["server_cpu_ms"] < measured["bare"].get("server_cpu_ms", 0):
        measured["bare"] = again
    return measured


def bare_views(n: int, rounds: int = 3) -> tuple[float, float]:
    """CPU ms of the bare view under our middleware and under Django's default middleware: the
    least of `rounds` alternating measurements each (noise only ever adds to a sub-ms request)."""
    ours, default = [], []
    for _ in range(rounds):
        ours.append(cpu_per_request(client_for(None), "/bench/baseline", n)[0])
        with override_settings(MIDDLEWARE=DEFAULT_MIDDLEWARE):
            default.append(cpu_per_request(client_for(None), "/bench/baseline", n)[0])
    return min(ours), min(default)


def run(ctx) -> list[dict]:
    n = repeat_of(ctx) * 20
    pages = leader_pages()
    http = http_cpu(ctx, pages)
    http_bare = http.get("bare", {}).get("server_cpu_ms")
    bare, default = bare_views(n)
    rows = [
        {"scenario": "cpu: bare view (ours)", "cpu_ms": round(bare, 3), "cpu ratio": "1.00x"}
        | ({"server_cpu_ms": http_bare, "http cpu ratio": "1.00x"} if http_bare else {}),
        {
            "scenario": "cpu: bare view, Django's default middleware",
            "cpu_ms": round(default, 3),
            "note": f"ours runs at {default / bare:.2f}x of it (target 0.8x)",
        },
    ]
    for name, email, url, kind in pages:
        client = client_for(email)
        try:
            app, db = cpu_per_request(client, url, n)
        except RuntimeError as exc:
            rows.append({"scenario": f"cpu: {name}", "error": str(exc)})
            continue
        target = TARGETS.get(kind)
        ratio = bare / (app + db) if app + db else 0
        rows.append(
            {
                "scenario": f"cpu: {name}",
                "cpu_ms": round(app, 2),
                "db_cpu_ms": round(db, 2),
                "queries": count_queries(lambda client=client, url=url: client.get(url)),
                "cpu ratio": f"{ratio:.2f}x",
                "target": f">= {target:.2f}x {'ok' if ratio >= target else 'MISSED'}" if target else "",
                **_http_columns(http.get(name), http_bare),
            }
        )
    if os.environ.get("BENCH_MIDDLEWARE", "1") != "0":
        rows += middleware_rows(n)
    return rows

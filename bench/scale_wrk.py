"""Issue 20's performance report at scale, through gunicorn and wrk (docs/performance.md).

    DATABASE_URL=postgres://…/throwaway REDIS_URL=redis://…/N .venv/bin/python bench/scale_wrk.py

Against a migrated database seeded with `seed_demo`: adds issue 20's data set (bench/scale_seed.py,
idempotent), starts gunicorn (SCALE_WORKERS, 2 sync workers, production settings, loopback), then
drives each page with wrk (SCALE_SECONDS, 8 s, SCALE_CONNECTIONS, 2 connections: one per worker, so
the server is busy but not queueing) and finally a mix of all of them at once (4 connections).
Prints one Markdown table: requests/s, p50/p95/p99 ms, errors (non-2xx and socket errors), the
workers' CPU ms per request (/proc) and its ratio to the bare view's, wrk's requests/s ratio, and
the SQL query count of one request for the big-data leader and, on the same page, the demo leader
(whose team is small): the counts must not grow with the data. Then each worker's peak memory.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for key, value in {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "False",
    "SITE_URL": "https://huddle.example.com",
    "DEFAULT_FROM_EMAIL": "Huddle <hello@huddle-coaching.com>",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
    "BENCHMARK": "1",
    # As behind one proxy: the scale report's locust users each send their own X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": "1",
}.items():
    os.environ.setdefault(key, value)
if not os.environ.get("CERTIFICATE_SIGNING_KEY"):
    from bench.run import _bench_signing_key

    os.environ["CERTIFICATE_SIGNING_KEY"] = _bench_signing_key()

import django  # noqa: E402

django.setup()

from bench.pages import LEADER, leader_pages  # noqa: E402
from bench.procstat import peak_rss_mb, server_cpu, workers  # noqa: E402
from bench.run import _free_port, _wait_until_up, count_queries  # noqa: E402
from bench.scale_seed import seed  # noqa: E402

SECONDS = int(os.environ.get("SCALE_SECONDS", 8))
CONNECTIONS = int(os.environ.get("SCALE_CONNECTIONS", 2))
WORKERS = int(os.environ.get("SCALE_WORKERS", 2))
# wrk's summary as one JSON line: percentiles in microseconds, errors of every kind.
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""
MIX = """
local paths = {%s}
local cookies = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  local headers = {["X-Forwarded-Proto"] = "https", ["Cookie"] = cookies[i]}
  return wrk.format("GET", paths[i], headers)
end
"""


def wrk(port: int, path: str, cookie: str, script: Path, connections: int = CONNECTIONS) -> dict:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "10s"]
    command += ["-s", str(script), "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    return json.loads(line[5:])


def _get(port: int, path: str, cookie: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie})
    conn.getresponse().read()
    conn.close()


def cookie_for(email: str | None) -> str:
    from django.test import Client

    from accounts.models import User

    if not email:
        return ""
    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"sessionid={client.cookies['sessionid'].value}"


def queries(email: str | None, url: str) -> int:
    from bench.bench_cpu import client_for

    client = client_for(email)
    client.get(url)
    return count_queries(lambda: client.get(url))


def _table(rows: list[dict]) -> None:
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | CPU ratio | req/s ratio | queries (big / demo) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r['page']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} "
            f"| {r['cpu']:.2f} | {r['cpu ratio']} | {r['rps ratio']} | {r['queries']} |"
        )


def closed_loop_pages(port: int, master: int, pages: list, demo: dict, script: Path) -> list[dict]:
    """Each page alone with wrk (closed loop): its capacity, latency, the workers' CPU per request,
    its ratios to the first page's (the bare view's) and its query counts (big / demo leader)."""
    rows = []
    for name, email, url, _ in pages:
        cookie = cookie_for(email)
        for _ in range(4):  # warm both workers' per-process caches
            _get(port, url, cookie)
        before = server_cpu(master)
        result = wrk(port, url, cookie, script)
        cpu = (server_cpu(master) - before) * 1000 / max(1, result["requests"])
        small = demo.get(name)
        rows.append(
            {
                "page": name,
                "rps": result["requests"] / result["seconds"],
                **{k: result[k] / 1000 for k in ("p50", "p95", "p99")},
                "errors": result["errors"],
                "cpu": cpu,
                "queries": f"{queries(email, url)} / {queries(*small) if small else '-'}",
            }
        )
    bare = rows[0]
    for row in rows:
        row["cpu ratio"] = f"{bare['cpu'] / row['cpu']:.2f}x" if row["cpu"] else "-"
        row["rps ratio"] = f"{row['rps'] / bare['rps']:.2f}x"
    return rows


def start_gunicorn(port: int) -> subprocess.Popen:
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--workers", str(WORKERS)]
    return subprocess.Popen([*gunicorn, "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"], cwd=ROOT)  # noqa: S603


def main() -> None:
    from accounts.models import User

    counts = seed()
    big_leader = User.objects.filter(email__endswith="@scale.invalid", tracker_teams__isnull=False).order_by("email")[0]
    big = leader_pages(leader_email=big_leader.email)
    demo = {name: (email, url) for name, email, url, _ in leader_pages(leader_email=LEADER)}
    tmp = Path(tempfile.mkdtemp(prefix="huddle-scale-"))
    script = tmp / "report.lua"
    script.write_text(LUA)
    port = _free_port()
    server = start_gunicorn(port)
    try:
        _wait_until_up("127.0.0.1", port)
        load = os.getloadavg()
        rows = closed_loop_pages(
            port, server.pid, [("bare Django view", None, "/bench/baseline", "bare"), *big], demo, script
        )
        mix = tmp / "mix.lua"
        mix.write_text(
            MIX
            % (
                ", ".join(json.dumps(url) for _, _, url, _ in big),
                ", ".join(json.dumps(cookie_for(e)) for _, e, _, _ in big),
            )
            + LUA
        )
        before = server_cpu(server.pid)
        result = wrk(port, "/", "", mix, connections=4)
        rows.append(
            {
                "page": "mix of all the pages above, round robin, 4 connections",
                "rps": result["requests"] / result["seconds"],
                **{k: result[k] / 1000 for k in ("p50", "p95", "p99")},
                "errors": result["errors"],
                "cpu": (server_cpu(server.pid) - before) * 1000 / max(1, result["requests"]),
                "cpu ratio": "",
                "rps ratio": "",
                "queries": "",
            }
        )
        memory = [peak_rss_mb(pid) for pid in workers(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"\nData: {counts}. Big-data leader: {big_leader.email}. Load average at start: {load}.")
    print(f"gunicorn {WORKERS} sync workers; wrk {CONNECTIONS} connections, {SECONDS} s a page.\n")
    _table(rows)
    print(
        f"\nPeak memory per worker (VmHWM): {', '.join(f'{mb:.0f} MB' for mb in memory)}. Load average at end: {os.getloadavg()}."
    )


if __name__ == "__main__":
    main()

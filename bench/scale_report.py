"""Issue 20's performance report at scale, rate-driven (docs/performance.md): `make scale-report`.

    DATABASE_URL=postgres://…/throwaway REDIS_URL=redis://…/N .venv/bin/python bench/scale_report.py

Against a migrated database seeded with `seed_demo` (a throwaway one: the run adds data):

1. adds issue 20's data set once (bench/scale_seed.py, idempotent) and collects static files if
   they are not there;
2. starts gunicorn (SCALE_WORKERS, 2 sync workers, production settings, loopback);
3. each page alone with wrk, closed loop (SCALE_SECONDS a page): its capacity, its ratio to the
   bare Django view's, the workers' CPU per request, its query count for a big-data leader and the
   demo leader (bench/scale_wrk.py);
4. the mix (below), closed loop with locust: SCALE_CAP_USERS (8) users with no pause for
   SCALE_CAP_SECONDS (30): the server's capacity on the mix, in requests/s;
5. the same mix, open loop with locust at SCALE_LOAD (0.5) of that capacity for SCALE_OPEN_SECONDS
   (120): a fixed rate, each user one request every SCALE_PACING (2) s, latency measured from the
   intended send time (bench/scale_locustfile.py), so a slow answer delays no measurement away;
6. prints one Markdown table (per page: share of the mix, requests and requests/s, p50/p95/p99,
   errors, queries, the page's capacity alone and its ratio to the bare view's), each worker's peak
   memory, the load average before and after, and the three targets met or not.

The mix (weights in MIX, per 100 requests): anonymous pages, lesson and program pages, dashboards,
search, the tracker's pages and the coach's, webinar registration (the page, then its form posted
with the page's CSRF token and a fresh address: a 302), certificate download (a PDF), the bare
view. The logged-in pages are spread over SCALE_MIX_LEADERS (10) of the 50 big-data leaders.
"""

from __future__ import annotations

import csv
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scale_wrk  # noqa: E402  (sets the environment and django.setup())
from bench.pages import LEADER, leader_pages  # noqa: E402
from bench.procstat import peak_rss_mb, workers  # noqa: E402
from bench.run import _free_port, _wait_until_up, count_queries  # noqa: E402
from bench.scale_seed import seed  # noqa: E402

ROOT = scale_wrk.ROOT
CAP_USERS = int(os.environ.get("SCALE_CAP_USERS", 8))
CAP_SECONDS = int(os.environ.get("SCALE_CAP_SECONDS", 30))
OPEN_SECONDS = int(os.environ.get("SCALE_OPEN_SECONDS", 120))
LOAD = float(os.environ.get("SCALE_LOAD", 0.5))
PACING = float(os.environ.get("SCALE_PACING", 2))
MIX_LEADERS = int(os.environ.get("SCALE_MIX_LEADERS", 10))
BUDGET, P99_TARGET = 12, 250.0
# Requests per 100 in the mix; a page not named here weighs 1.
MIX = {
    "anonymous home": 14,
    "anonymous program sales page": 8,
    "webinar registration": 3,  # two requests each: the page, then the POST
    "credential check": 2,
    "lesson page": 14,
    "program page": 4,
    "learner dashboard": 7,
    "search": 2,
    "reflections": 2,
    "certificate download": 2,
    "tracker team dashboard": 5,
    "tracker results grid": 4,
    "tracker rankings": 3,
    "tracker targets": 2,
    "tracker 1:1s": 2,
    "tracker 1:1 agenda": 2,
    "tracker one member at a time": 2,
    "office board link": 2,
    "bare Django view": 2,
}


def _mix_pages() -> tuple[list[dict], list[tuple]]:
    """The plan's pages (name, weight, expected answer, choices) and the wrk list (one leader)."""
    from django.urls import reverse

    from accounts.models import User
    from program.certificates.models import Certificate
    from program.webinars.models import WebinarPage

    leaders = User.objects.filter(email__endswith="@scale.invalid", tracker_teams__isnull=False).distinct()
    emails = list(leaders.order_by("email").values_list("email", flat=True))
    pages: dict[str, dict] = {}
    cookies: dict[str | None, str] = {}

    def add(name: str, email: str | None, url: str, expect: str = "html") -> None:
        if email not in cookies:
            cookies[email] = scale_wrk.cookie_for(email)
        page = pages.setdefault(name, {"name": name, "weight": MIX.get(name, 1), "expect": expect, "choices": []})
        if all(choice["url"] != url or choice["email"] != email for choice in page["choices"]):
            page["choices"].append({"url": url, "cookie": cookies[email], "email": email})

    add("bare Django view", None, "/bench/baseline")
    first = []
    used = 0
    for email in emails:
        if used == MIX_LEADERS:
            break
        try:
            theirs = leader_pages(leader_email=email)
        except AttributeError:  # finished every lesson: no lesson to continue; the next leader
            continue
        for name, who, url, _ in theirs:
            add(name, who, url)
        first, used = first or theirs, used + 1
    webinar = next(p for p in WebinarPage.objects.live().order_by("path") if p.sessions.filter(starts_at__gt=_now()))
    add("webinar registration", None, webinar.url, "webinar")
    pages["webinar registration"]["session"] = webinar.sessions.filter(starts_at__gt=_now()).order_by("starts_at")[0].pk
    for certificate in Certificate.objects.filter(user__email__endswith="@scale.invalid").exclude(pdf=""):
        add(
            "certificate download",
            certificate.user.email,
            reverse("certificates:download", args=[certificate.code]),
            "pdf",
        )
    extra = [("webinar page", None, webinar.url, "public")]
    if "certificate download" in pages:
        choice = pages["certificate download"]["choices"][0]
        extra.append(("certificate download", choice["email"], choice["url"], "leader"))
    return list(pages.values()), [("bare Django view", None, "/bench/baseline", "bare"), *first, *extra]


def _now():
    from django.utils import timezone

    return timezone.now()


def _queries(page: dict) -> int:
    from bench.bench_cpu import client_for

    choice = page["choices"][0]
    client = client_for(choice["email"])
    if page["expect"] != "webinar":
        client.get(choice["url"])
        return count_queries(lambda: client.get(choice["url"]))
    form = {"session": page["session"], "name": "Query Count", "email": f"count-{time.time_ns()}@load.invalid"}
    return count_queries(lambda: client.post(choice["url"], form))


def locust(port: int, plan: Path, mode: str, users: int, seconds: int, prefix: Path, pacing: float = PACING) -> dict:
    """Runs locust headless; returns its stats per name (and "Aggregated") and its own CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "scale_locustfile.py")]
    command += ["--headless", "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(users)]
    command += ["-t", f"{seconds}s", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"]
    command += ["--loglevel", "ERROR", "ClosedLoop" if mode == "closed" else "OpenLoop"]
    env = {**os.environ, "SCALE_PLAN": str(plan), "SCALE_PACING": str(pacing)}
    subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, timeout=seconds + 120)  # noqa: S603
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    rows["locust cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return rows


def _cell(row: dict | None, key: str, fmt: str = "{:.0f}") -> str:
    if not row or row.get(key) in (None, "", "N/A"):
        return "-"
    return fmt.format(float(row[key]))


def _table(pages: list[dict], open_rows: dict, alone: dict, queries: dict) -> list[str]:
    total = sum(page["weight"] for page in pages)
    lines = [
        "| page | share | requests | req/s | p50 ms | p95 ms | p99 ms | errors | queries | alone req/s | ratio to bare view (req/s / CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in pages:
        names = [page["name"] + " (page)", page["name"] + " (POST)"] if page["expect"] == "webinar" else [page["name"]]
        for name in names:
            row, solo = open_rows.get(name), alone.get(name.replace("registration (page)", "page"))
            cells = [
                name,
                f"{100 * page['weight'] / total:.0f} %",
                _cell(row, "Request Count"),
                _cell(row, "Requests/s", "{:.1f}"),
                *(_cell(row, key) for key in ("50%", "95%", "99%")),
                _cell(row, "Failure Count"),
                str(queries.get(name, "-")),
                f"{solo['rps']:.0f}" if solo else "-",
                f"{solo['rps ratio']} / {solo['cpu ratio']}" if solo else "-",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    row = open_rows.get("Aggregated")
    lines.append(
        f"| **all, open loop** | 100 % | {_cell(row, 'Request Count')} | {_cell(row, 'Requests/s', '{:.1f}')} | "
        f"{_cell(row, '50%')} | {_cell(row, '95%')} | {_cell(row, '99%')} | {_cell(row, 'Failure Count')} | | | |"
    )
    return lines


def _verdicts(pages: list[dict], open_rows: dict, closed: dict, alone_rows: list[dict], queries: dict) -> list[str]:
    errors = sum(int(r.get("Failure Count", 0)) for r in (open_rows.get("Aggregated"), closed.get("Aggregated")) if r)
    errors += sum(r["errors"] for r in alone_rows)
    over = {name: q for name, q in queries.items() if max(map(int, re.findall(r"\d+", str(q))), default=0) > BUDGET}
    slow = []
    for page in pages:
        if not any(choice["cookie"] for choice in page["choices"]):
            continue
        names = [page["name"] + " (page)", page["name"] + " (POST)"] if page["expect"] == "webinar" else [page["name"]]
        slow += [
            f"{n} ({float(open_rows[n]['99%']):.0f} ms)"
            for n in names
            if n in open_rows and float(open_rows[n]["99%"]) >= P99_TARGET
        ]
    return [
        f"- Zero errors: {'met' if not errors else f'MISSED ({errors} errors)'} (wrk alone, locust closed and open loop).",
        f"- Every page within {BUDGET} queries: {'met' if not over else f'MISSED: {over}'}.",
        f"- p99 under {P99_TARGET:.0f} ms for every logged-in page at {LOAD:.0%} of capacity: "
        + ("met." if not slow else "MISSED by " + ", ".join(slow) + "."),
    ]


def _load(averages: tuple) -> str:
    return " / ".join(f"{value:.1f}" for value in averages)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def _versions() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    locust_out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "locust"), "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    wrk_out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split()  # noqa: S607
    return f"PostgreSQL {postgres}, locust {(locust_out[1:2] or ['?'])[0]}, wrk {(wrk_out[1:2] or ['?'])[0]}"


def _collectstatic() -> None:
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)  # noqa: S603
        from django.contrib.staticfiles.storage import staticfiles_storage

        # This process may have read the manifest before it existed (empty): read it again.
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()


def main() -> None:
    started = time.time()
    _collectstatic()  # first: seeding renders certificates, which would load an empty manifest for good
    counts = seed()
    pages, alone_pages = _mix_pages()
    demo = {name: (email, url) for name, email, url, _ in leader_pages(leader_email=LEADER)}
    tmp = Path(tempfile.mkdtemp(prefix="huddle-scale-"))
    plan = tmp / "plan.json"
    plan.write_text(__import__("json").dumps({"pages": pages}))
    script = tmp / "report.lua"
    script.write_text(scale_wrk.LUA)
    port = _free_port()
    server = scale_wrk.start_gunicorn(port)
    load_before = os.getloadavg()
    try:
        _wait_until_up("127.0.0.1", port)
        alone_rows = scale_wrk.closed_loop_pages(port, server.pid, alone_pages, demo, script)
        alone = {row["page"]: row for row in alone_rows}
        # One request's queries for the first big-data leader / the demo leader (wrk's list), or
        # for the first big-data leader (the pages only the mix has: the POST).
        queries = {row["page"]: row["queries"] for row in alone_rows}
        queries["webinar registration (page)"] = alone["webinar page"]["queries"]
        for page in pages:
            name = page["name"] + " (POST)" if page["expect"] == "webinar" else page["name"]
            if name not in queries:
                queries[name] = _queries(page)
        closed = locust(port, plan, "closed", CAP_USERS, CAP_SECONDS, tmp / "closed")
        capacity = float(closed["Aggregated"]["Requests/s"])
        rate = capacity * LOAD
        users = max(1, round(rate * PACING))
        pacing = users / rate  # the open loop's pacing gives exactly `rate`
        load_open = os.getloadavg()
        open_rows = locust(port, plan, "open", users, OPEN_SECONDS, tmp / "open", pacing)
        memory = [peak_rss_mb(pid) for pid in workers(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    bare = alone["bare Django view"]
    print(f"\n## Scale report, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}\n")
    print(f"- Machine: {os.cpu_count()} cores ({_cpu_model()}), Python {platform.python_version()}, {_versions()}.")
    print(
        f"- Load average (1, 5, 15 min): {_load(load_before)} before, {_load(load_open)} as the open loop "
        f"started, {_load(os.getloadavg())} after (other jobs on the machine count too)."
    )
    print(f"- Data: {counts}.")
    print(
        f"- gunicorn {scale_wrk.WORKERS} sync workers, production settings, PostgreSQL and Redis on the same machine."
    )
    print(
        f"- Each page alone (wrk, {scale_wrk.CONNECTIONS} connections, {scale_wrk.SECONDS} s): bare view {bare['rps']:.0f} req/s, p99 {bare['p99']:.1f} ms."
    )
    c = closed["Aggregated"]
    print(
        f"- Capacity on the mix (locust, closed loop, {CAP_USERS} users, {CAP_SECONDS} s): **{capacity:.1f} req/s**, "
        f"p50 {c['50%']} / p95 {c['95%']} / p99 {c['99%']} ms, {c['Failure Count']} errors; locust used {closed['locust cpu']:.1f} s CPU."
    )
    print(
        f"- Open loop at {LOAD:.0%} of that: **{rate:.1f} req/s** ({users} users, one request each {pacing:.2f} s, {OPEN_SECONDS} s; "
        f"{rate / bare['rps']:.1%} of the bare view's capacity alone); locust used {open_rows['locust cpu']:.1f} s CPU."
    )
    print(f"- Peak memory per worker (VmHWM): {', '.join(f'{mb:.0f} MB' for mb in memory)}.\n")
    print("\n".join(_table(pages, open_rows, alone, queries)))
    print("\nTargets:\n" + "\n".join(_verdicts(pages, open_rows, closed, alone_rows, queries)))
    print("\nEach page alone (wrk, closed loop):\n")
    scale_wrk._table(alone_rows)
    print(f"\nlocust CSVs: {tmp}. Took {time.time() - started:.0f} s.")


if __name__ == "__main__":
    main()

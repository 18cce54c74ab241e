"""Huddle benchmark: `make bench` (or `.venv/bin/python bench/run.py`). See bench/README.md.

Builds a throwaway site (a fresh `huddle_bench` database on the local PostgreSQL, or SQLite in a
temp folder when PostgreSQL does not answer, unless DATABASE_URL is set), seeds the demo,
serves it with gunicorn (BENCH_WORKERS, default 2, production settings, loopback only) and measures
requests/s and p50/p95 latency of a bare Django view, the lesson page for the logged-in demo leader
and anonymous CMS pages, plus the lesson page's in-process time through Django's test client.
Then runs every `bench/bench_*.py` module that has `run(ctx) -> list[dict]` and prints one table.
"""

from __future__ import annotations

import http.client
import importlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: `bench` importable
from bench.procstat import server_cpu  # noqa: E402
from bench.throwaway import throwaway_postgres  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # the same server for the baseline and every page


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def latency_ms(samples: list[float]) -> dict:
    """{"p50_ms", "p95_ms"} of durations in seconds (0 for none): every table row uses this."""
    ordered = sorted(samples) or [0.0]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def repeat_of(ctx, default: int = 10) -> int:
    """`ctx.repeat` (BENCH_REPEAT), also for modules run alone with a plain dict."""
    value = ctx.get("repeat") if isinstance(ctx, dict) else getattr(ctx, "repeat", None)
    return int(value or default)


def _bench_signing_key() -> str:
    """A throw-away certificate signing key (production settings require one)."""
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()


@dataclass
class BenchContext:
    """What a `bench_*.py` module's `run(ctx)` gets.

    base_url      http://127.0.0.1:<port> of the gunicorn server (production settings, demo data)
    seconds       time budget per HTTP scenario (BENCH_SECONDS, default 10)
    concurrency   parallel client connections for `measure` (BENCH_CONCURRENCY, default 4)
    repeat        repetitions for in-process timings (BENCH_REPEAT, default 10)
    env           the environment the server runs with (DATABASE_URL, settings module, ...)
    session_cookie(email) -> "sessionid=..." header value for a logged-in demo user
    measure(name, path, cookie=None) -> row dict: requests/s, p50/p95 ms, errors
    get(key, default) -> dict-style access to the attributes above (for modules written to a dict)
    Django is set up in this process against the same database, so modules may use the ORM
    and django.test.Client as well (roll back what they create).
    """

    base_url: str
    host: str
    port: int
    seconds: float
    concurrency: int
    repeat: int
    env: dict = field(default_factory=dict)
    server_pid: int | None = None  # gunicorn's master: `measure` reads its workers' CPU time

    def get(self, key, default=None):
        return getattr(self, key, default)

    def session_cookie(self, email: str) -> str:
        from django.test import Client

        from accounts.models import User

        client = Client()
        client.force_login(User.objects.get(email=email))
        return f"sessionid={client.cookies['sessionid'].value}"

    def measure(self, name: str, path: str, cookie: str | None = None) -> dict:
        """Hammer GET `path` with `concurrency` clients for `seconds`; one row of results."""
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = time.perf_counter() + self.seconds

        def worker():
            local, bad = [], 0
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    ok = response.status == 200
                except OSError:
                    ok = False
                if ok:
                    local.append(time.perf_counter() - start)
                else:
                    bad += 1
            with lock:
                latencies.extend(local)
                errors[0] += bad

        threads = [threading.Thread(target=worker) for _ in range(self.concurrency)]
        cpu_before, started = server_cpu(self.server_pid), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        served = len(latencies) + errors[0]
        cpu = (server_cpu(self.server_pid) - cpu_before) * 1000 / served if served and self.server_pid else None
        return {
            "scenario": name,
            "requests/s": round(len(latencies) / elapsed, 1),
            **latency_ms(latencies),
            "requests": len(latencies),
            "errors": errors[0],
            **({"server_cpu_ms": round(cpu, 3)} if cpu is not None else {}),
        }


def _manage(env: dict, *args: str, log) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed; see {log.name}")


def _wait_until_up(host: str, port: int, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/bench/baseline", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start; see the log in the temp folder")


def print_table(rows: list[dict]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def _anonymous_paths() -> list[str]:
    """Home, the first program's sales page and the first standard page, as a visitor sees them."""
    from wagtail.models import Site

    from home.models import StandardPage
    from program.models import ProgramPage

    site = Site.objects.get(is_default_site=True)
    paths = ["/"]
    for model in (ProgramPage, StandardPage):
        page = model.objects.live().public().order_by("path").first()
        if page is not None:
            paths.append(page.get_url(current_site=site) or page.url)
    return paths


def count_queries(action) -> int:
    """SQL statements `action()` runs, counted by an execute wrapper (CaptureQueriesContext reads a
    log that stops growing once it holds 9,000 entries)."""
    from django.db import connection

    executed = []
    with connection.execute_wrapper(lambda execute, sql, *rest: executed.append(sql) or execute(sql, *rest)):
        action()
    return len(executed)


def _in_process_lesson(ctx: BenchContext, url: str) -> dict:
    """The lesson page through Django's test client in this process: steadier than HTTP on a busy
    machine. Reports the median ms per request over `repeat` x 5 requests and the SQL count."""
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(email="leader@huddle.test"))
    client.get(url)
    responses = []
    queries = count_queries(lambda: responses.append(client.get(url)))
    response = responses[0]
    if response.status_code != 200:
        raise SystemExit(f"in-process lesson page answered {response.status_code}")
    timings = []
    for _ in range(max(1, ctx.repeat) * 5):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return {
        "scenario": "lesson page (leader), in-process test client",
        **latency_ms(timings),
        "requests": len(timings),
        "queries": queries,
    }


def discover() -> list:
    """Every bench/bench_*.py with run(ctx); BENCH_MODULES="tracker,urls" picks some ("none": skip all)."""
    wanted = {name.strip() for name in os.environ.get("BENCH_MODULES", "").split(",") if name.strip()}
    modules = []
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        if wanted and path.stem.removeprefix("bench_") not in wanted:
            continue
        try:
            module = importlib.import_module(f"bench.{path.stem}")
        except Exception as exc:  # a module that does not import is one row with its error
            modules.append(_Broken(path.stem, exc))
            continue
        if callable(getattr(module, "run", None)):
            modules.append(module)
    return modules


class _Broken:
    def __init__(self, name: str, exc: Exception):
        self.__name__ = f"bench.{name}"
        self.exc = exc

    def run(self, ctx):
        raise self.exc


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="huddle-bench-"))
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "CERTIFICATE_SIGNING_KEY": env.get("CERTIFICATE_SIGNING_KEY") or _bench_signing_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": env.get("DATABASE_URL") or throwaway_postgres() or f"sqlite:///{tmp / 'bench.sqlite3'}",
            # Production settings require a shared cache; the machine's local Redis, db 13.
            "REDIS_URL": env.get("REDIS_URL") or "redis://127.0.0.1:6379/13",
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": "https://huddle.example.com",
            "DEFAULT_FROM_EMAIL": "Huddle <hello@huddle-coaching.com>",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "LOG_LEVEL": "WARNING",
            "BENCHMARK": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    os.environ.update(env)
    log = open(tmp / "setup.log", "w")  # noqa: SIM115
    server = default_server = None
    try:
        print(f"Preparing a throwaway site in {tmp} ...", flush=True)
        _manage(env, "migrate", "--noinput", "-v0", log=log)
        _manage(env, "seed_demo", log=log)
        _manage(env, "collectstatic", "--noinput", "-v0", log=log)
        server = subprocess.Popen(  # noqa: S603 (our own venv gunicorn, fixed arguments)
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        _wait_until_up("127.0.0.1", port)
        # The second baseline: the same bare view behind Django's default middleware, same workers.
        default_port = _free_port()
        default_server = subprocess.Popen(  # noqa: S603 (our own venv gunicorn, fixed arguments)
            [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--workers", str(WORKERS)]
            + ["--bind", f"127.0.0.1:{default_port}", "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings_default_middleware"},
            stdout=log,
            stderr=log,
        )
        _wait_until_up("127.0.0.1", default_port)

        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from accounts.models import User
        from lessons.selectors import program_state
        from program.demo import get_program

        ctx = BenchContext(
            base_url=f"http://127.0.0.1:{port}",
            host="127.0.0.1",
            port=port,
            seconds=float(os.environ.get("BENCH_SECONDS", "10")),
            concurrency=int(os.environ.get("BENCH_CONCURRENCY", "4")),
            repeat=int(os.environ.get("BENCH_REPEAT", "10")),
            env=env,
            server_pid=server.pid,
        )
        leader = User.objects.get(email="leader@huddle.test")
        lesson = program_state(user=leader, program=get_program()).continue_lesson
        cookie = ctx.session_cookie("leader@huddle.test")
        from django.conf import settings

        print(
            f"Measuring {ctx.seconds:g} s per scenario, {ctx.concurrency} clients, gunicorn {WORKERS} workers; "
            f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
            f"sessions {settings.SESSION_ENGINE.rsplit('.', 1)[-1]} (set REDIS_URL for the production path) ...",
            flush=True,
        )
        baseline = ctx.measure("baseline: bare Django view", "/bench/baseline")
        baseline["vs baseline"] = "1.00x"
        default_ctx = BenchContext(**{**ctx.__dict__, "port": default_port, "server_pid": default_server.pid})
        default = default_ctx.measure("baseline: bare view, Django's default middleware", "/bench/baseline")
        if default["requests/s"]:
            default["vs baseline"] = f"{default['requests/s'] / baseline['requests/s']:.2f}x"
            baseline["note"] = (
                f"{baseline['requests/s'] / default['requests/s']:.2f}x of Django's default (target 0.8x)"
            )
        if default.get("server_cpu_ms") and baseline.get("server_cpu_ms"):
            default["note"] = f"by server CPU, ours is {default['server_cpu_ms'] / baseline['server_cpu_ms']:.2f}x"
        rows = [baseline, default]
        pages = [(f"lesson page (leader): {lesson.url}", lesson.url, cookie)]
        pages += [(f"anonymous (cached): {path}", path, None) for path in _anonymous_paths()]
        for name, path, page_cookie in pages:
            row = ctx.measure(name, path, cookie=page_cookie)
            if baseline["requests/s"]:
                row["vs baseline"] = f"{row['requests/s'] / baseline['requests/s']:.2f}x"
            if row.get("server_cpu_ms") and baseline.get("server_cpu_ms"):
                row["cpu ratio"] = f"{baseline['server_cpu_ms'] / row['server_cpu_ms']:.2f}x"
            rows.append(row)
        rows.append(_in_process_lesson(ctx, lesson.url))
        for module in discover():
            try:
                extra = module.run(ctx) or []
            except Exception as exc:  # one broken module must not hide the others' numbers
                extra = [{"scenario": module.__name__, "error": f"{exc.__class__.__name__}: {exc}"}]
            for row in extra:
                row.setdefault("scenario", row.get("name", module.__name__))
            rows += extra
        print()
        print_table(rows)
    finally:
        if default_server is not None:
            default_server.terminate()
            default_server.wait(timeout=10)
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Several machines, on one: two web servers, two task workers and two schedulers, in production
settings, against one PostgreSQL and one Redis (the README's "Several machines" section).

- a session made on one web server is used, and ended, on the other;
- a task enqueued by a request on one web server runs once, on one of the workers;
- exactly one scheduler leads: each scheduled job is enqueued once a minute, not once per
  scheduler, and runs once;
- when the leading scheduler is killed (SIGKILL: a machine gone, no goodbye), the other takes over
  within the lease (shortened here to 12 s with RUNTIME_LEASE_SECONDS; 30 s in production) and
  goes on scheduling.
"""

import html
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from tests.processes import (
    BASE_DIR,
    _free_port,
    finished,
    fresh_database,
    manage,
    production_env,
    static_root_collecting,
    stop_group,
)
from tests.test_multi_process import _cookies, _request

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LEASE_SECONDS = 12
EMAIL = "many.machines@example.com"
PASSWORD = "six-processes-one-database-58"


@dataclass
class Cluster:
    env: dict
    database_url: str
    ports: list[int]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def live(self, kind: str) -> set[str]:
        rows = self.sql(
            "SELECT process_id FROM runtime_heartbeat WHERE kind = %s AND last_seen > now() - %s::interval",
            kind,
            f"{LEASE_SECONDS} seconds",
        )
        return {row[0] for row in rows}

    def lease_holder(self) -> str | None:
        rows = self.sql("SELECT holder FROM runtime_lease WHERE name = 'scheduler' AND expires_at > now()")
        return rows[0][0] if rows else None


def _wait(what: str, condition, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(step)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("machines")
    with fresh_database("machines") as database_url:
        env = production_env(
            database_url=database_url,
            tmp=tmp,
            RUNTIME_LEASE_SECONDS=str(LEASE_SECONDS),
            LOG_LEVEL="INFO",  # the scheduler says what it enqueues and when it leads
            GUNICORN_WORKERS="1",
        )
        static_root, collecting = static_root_collecting(env)
        env["STATIC_ROOT"] = str(static_root)
        manage(env, "migrate", "--noinput", "-v0")
        manage(
            env,
            "shell",
            "-c",
            "from accounts.models import User; from allauth.account.models import EmailAddress; "
            f"u = User.objects.create_user({EMAIL!r}, {PASSWORD!r}, full_name='Robin Many-Machines'); "
            "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
        )
        if collecting:
            finished(collecting, "collectstatic")

        ports = [_free_port()]
        while len(ports) < 2:
            port = _free_port()
            if port not in ports:
                ports.append(port)
        box = Cluster(env=env, database_url=database_url, ports=ports)
        python, gunicorn = sys.executable, str(Path(sys.executable).parent / "gunicorn")
        commands = {
            "web1": ([gunicorn, "-c", "config/gunicorn.py", "config.wsgi"], {"GUNICORN_BIND": f"127.0.0.1:{ports[0]}"}),
            "web2": ([gunicorn, "-c", "config/gunicorn.py", "config.wsgi"], {"GUNICORN_BIND": f"127.0.0.1:{ports[1]}"}),
            "worker1": ([python, "manage.py", "run_worker", "--no-reload", "--queue-name", "*"], {}),
            "worker2": ([python, "manage.py", "run_worker", "--no-reload", "--queue-name", "*"], {}),
            "scheduler1": ([python, "manage.py", "run_scheduler"], {}),
            "scheduler2": ([python, "manage.py", "run_scheduler"], {}),
        }
        try:
            for name, (command, extra) in commands.items():
                box.logs[name] = tmp / f"{name}.log"
                box.procs[name] = subprocess.Popen(
                    command,
                    cwd=BASE_DIR,
                    env={**env, **extra},
                    stdout=box.logs[name].open("w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            for port in ports:
                _wait(f"web on {port} answering", lambda port=port: _healthz(port), timeout=120)
            _wait("two workers' heartbeats", lambda: len(box.live("worker")) == 2, timeout=90)
            _wait("two schedulers' heartbeats", lambda: len(box.live("scheduler")) == 2, timeout=90)
            yield box
        finally:
            for proc in box.procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in box.procs.values():
                stop_group(proc, timeout=30)


def _healthz(port: int) -> bool:
    try:
        return _request(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


PROXY = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def _form_post(port: int, path: str, fields: dict, cookies: dict) -> tuple[int, dict, list[str], str]:
    return _request(
        port,
        "POST",
        path,
        body=urllib.parse.urlencode(fields),
        headers={
            **PROXY,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": "https://127.0.0.1",
            "Referer": f"https://127.0.0.1{path}",
        },
    )


def _csrf(page: str) -> str:
    return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))


def test_a_session_made_on_one_web_server_is_used_and_ended_on_the_other(cluster):
    port_a, port_b = cluster.ports
    status, _, set_cookie, page = _request(port_a, "GET", "/accounts/login/", headers=PROXY)
    assert status == 200
    cookies = _cookies(set_cookie)
    status, headers, set_cookie, _ = _form_post(
        port_a, "/accounts/login/", {"csrfmiddlewaretoken": _csrf(page), "login": EMAIL, "password": PASSWORD}, cookies
    )
    assert status == 302 and headers["Location"].endswith("/dashboard/")
    cookies.update(_cookies(set_cookie))

    status, _, _, page = _request(port_b, "GET", "/dashboard/", headers={**PROXY, "Cookie": _cookie(cookies)})
    assert status == 200 and "Robin" in page

    # Log out on B (its form, its CSRF check): A no longer knows the session either.
    status, headers, _, _ = _form_post(port_b, "/accounts/logout/", {"csrfmiddlewaretoken": _csrf(page)}, cookies)
    assert status == 302
    status, headers, _, _ = _request(port_a, "GET", "/dashboard/", headers={**PROXY, "Cookie": _cookie(cookies)})
    assert status == 302 and "/accounts/login/" in headers["Location"]


def _cookie(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def test_a_task_enqueued_by_one_web_server_runs_once_on_one_worker(cluster):
    port_a, _ = cluster.ports
    since = cluster.sql("SELECT now()")[0][0]
    status, _, set_cookie, page = _request(port_a, "GET", "/accounts/password/reset/", headers=PROXY)
    assert status == 200
    status, headers, _, _ = _form_post(
        port_a, "/accounts/password/reset/", {"csrfmiddlewaretoken": _csrf(page), "email": EMAIL}, _cookies(set_cookie)
    )
    assert status == 302, "the reset form did not accept the address"

    def sent():
        rows = cluster.sql(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'home.core.mail.email_send' AND enqueued_at >= %s",
            since,
        )
        return rows if rows and all(status == "SUCCESSFUL" for status, _ in rows) else None

    rows = _wait("the reset email sent by a worker", sent, timeout=90)
    assert len(rows) == 1, rows
    (worker_ids,) = [ids for _, ids in rows]
    assert len(worker_ids) == 1, f"the task ran {len(worker_ids)} times: {worker_ids}"
    # The console backend prints the message on the worker that sent it: one of them, once.
    printed = {name: cluster.log(name).count(f"To: {EMAIL}") for name in ("worker1", "worker2")}
    assert sorted(printed.values()) == [0, 1], printed


def test_one_scheduler_leads_each_job_runs_once_and_the_other_takes_over_when_it_dies(cluster):
    schedulers = cluster.live("scheduler")
    holder = cluster.lease_holder()
    assert len(schedulers) == 2 and holder in schedulers
    leader = next(name for name in ("scheduler1", "scheduler2") if holder in cluster.log(name))
    standby = "scheduler2" if leader == "scheduler1" else "scheduler1"
    assert "now the leader" in cluster.log(leader) and "now the leader" not in cluster.log(standby)

    # A minute boundary with both schedulers alive: the every-minute jobs are enqueued once.
    first_minute = _next_minute(cluster)
    _wait("the leader's jobs of the minute", lambda: _enqueued_in(cluster, first_minute), timeout=90)
    time.sleep(2)  # a second scheduler enqueueing too would have done so by now

    cluster.procs[leader].send_signal(signal.SIGKILL)  # no release of the lease: it must expire
    cluster.procs[leader].wait(timeout=10)
    killed_at = time.monotonic()
    new_holder = _wait(
        "the standby taking the lease over",
        lambda: (h := cluster.lease_holder()) not in (None, holder) and h,
        timeout=35,
    )
    took_over = time.monotonic() - killed_at
    assert new_holder in cluster.log(standby)
    assert took_over < LEASE_SECONDS + 5 + 3, f"took {took_over:.1f} s"
    print(f"\nstandby scheduler took over {took_over:.1f} s after the leader was killed (lease {LEASE_SECONDS} s)")

    # ... and goes on scheduling: the next minute's jobs are enqueued by the new leader.
    later_minute = _next_minute(cluster)
    _wait("the new leader's jobs of the minute", lambda: _enqueued_in(cluster, later_minute), timeout=90)

    def all_ran():
        rows = cluster.sql(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ANY(%s)", _every_minute_paths()
        )
        return all(status in ("SUCCESSFUL", "FAILED") for (status,) in rows)

    _wait("the scheduled tasks run", all_ran, timeout=90)
    per_minute = cluster.sql(
        "SELECT task_path, date_trunc('minute', enqueued_at) AS minute, count(*), "
        "array_agg(status), array_agg(jsonb_array_length(worker_ids)) "
        "FROM django_tasks_database_dbtaskresult WHERE task_path = ANY(%s) GROUP BY 1, 2 ORDER BY 2, 1",
        _every_minute_paths(),
    )
    assert {row[1] for row in per_minute} >= {first_minute, later_minute}
    for task_path, minute, count, statuses, runs in per_minute:
        assert count == 1, f"{task_path} was enqueued {count} times at {minute:%H:%M}"
        assert statuses == ["SUCCESSFUL"] and runs == [1], f"{task_path} at {minute:%H:%M}: {statuses} {runs}"


def _every_minute_paths() -> list[str]:
    from django.conf import settings

    return [entry["task"] for entry in settings.SCHEDULED_TASKS.values() if entry["cron"] == "* * * * *"]


def _next_minute(cluster: Cluster):
    (now,) = cluster.sql("SELECT now()")[0]
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def _enqueued_in(cluster: Cluster, minute) -> bool:
    rows = cluster.sql(
        "SELECT DISTINCT task_path FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = ANY(%s) AND date_trunc('minute', enqueued_at) = %s",
        _every_minute_paths(),
        minute,
    )
    return len(rows) == len(_every_minute_paths())

"""PostgreSQL restarted under 40 concurrent webinar registrations (a cluster this test starts on its
own port; a real app server and a real worker process): every registration acknowledged to a
person is stored and gets its confirmation email, and the worker keeps working with no manual step."""

import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import psycopg
import pytest
import requests
from django.db import connection
from django.utils import timezone

from tests.home.runtime.own_postgres import OwnPostgres, why_not
from tests.home.runtime.processes import BASE_DIR, SmtpSink, database_url_of, free_port, start_worker, worker_env
from tests.program.webinars.factories import tx_home_page, webinar

PEOPLE = 40
ERRORS: list[str] = []
# It lives at the top of tests/ so it runs after the serialized-rollback tests of tests/program/: its
# transactional flush re-creates content types, which a later serialized rollback would collide with.
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _register(base: str, path: str, n: int, session_id: int) -> tuple[int, float]:
    """One person: open the page (CSRF cookie), post the form. (status, time of the answer)."""
    http = requests.Session()
    try:
        page = http.get(base + path, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "session": session_id,
            "name": f"Lead {n}",
            "email": f"lead{n}@example.com",
            "time_zone": "Asia/Tokyo",
            "newsletter": "on" if n % 4 == 0 else "",
        }
        answer = http.post(base + path, data=data, allow_redirects=False, timeout=30, headers={"Referer": base + path})
        return answer.status_code, time.monotonic()
    except Exception as exc:  # the person saw an error page or a broken connection: not acknowledged
        ERRORS.append(repr(exc)[:300])
        return 0, time.monotonic()


def _csrf_session(base: str, path: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    page = http.get(base + path, timeout=30)
    return http, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _while_the_server_is_down(cluster, base: str, path: str, session_id: int, url: str) -> None:
    """Stop the server, post registrations while nothing listens, start it again within a second:
    each request waits (its connection is opened again, home.core.db.postgresql) and is answered."""
    people = [(n, *_csrf_session(base, path)) for n in range(100, 108)]  # the form open before the outage
    answers: dict[int, int] = {}

    def post(n: int, http: requests.Session, token: str) -> None:
        data = {
            "csrfmiddlewaretoken": token,
            "session": session_id,
            "name": f"Lead {n}",
            "email": f"lead{n}@example.com",
        }
        data["time_zone"] = "Europe/Berlin"
        try:
            answers[n] = http.post(
                base + path, data=data, allow_redirects=False, timeout=30, headers={"Referer": base + path}
            ).status_code
        except requests.RequestException as exc:
            answers[n] = repr(exc)[:200]

    cluster._run(str(cluster.bin / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop")
    stopped = time.monotonic()
    threads = [threading.Thread(target=post, args=person) for person in people]
    for t in threads:
        t.start()
    time.sleep(0.8)
    assert answers == {}, f"answered while the database was down: {answers}"
    cluster._start()
    down = time.monotonic() - stopped
    for t in threads:
        t.join(60)
    assert answers == {n: 302 for n, _, _ in people}, answers
    with psycopg.connect(url) as db:
        stored = {e for (e,) in db.execute("SELECT email FROM webinars_webinarregistration").fetchall()}
    assert {f"lead{n}@example.com" for n, _, _ in people} <= stored
    print(f"database down {down:.2f} s: {len(people)} registrations posted meanwhile, all answered 302")  # noqa: T201


def test_postgres_restart_under_concurrent_registrations(tmp_path):
    reason = why_not()
    if connection.vendor != "postgresql" or reason:
        pytest.skip(reason or "needs PostgreSQL (DATABASE_URL) to copy the schema from")
    page = webinar(tx_home_page(), sessions=[{"starts_at": timezone.now() + timedelta(days=2), "capacity": 100}])
    session_id, path = page.sessions.get().pk, page.url
    cluster = OwnPostgres().start()
    server = worker = None
    try:
        url = cluster.copy_database(database_url_of(connection), "huddle_outage")
        with SmtpSink() as sink:
            env = worker_env(url, sink.port)
            port = free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "2",
                    "--threads",
                    "8",
                    "--timeout",
                    "60",
                ],  # fmt: skip
                cwd=BASE_DIR,
                env=env,
                stdout=open(tmp_path / "web.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
            worker = start_worker(env, tmp_path / "worker.log")
            base = f"http://127.0.0.1:{port}"

            def up():
                try:
                    return requests.get(base + "/healthz", timeout=5).status_code in (200, 503)
                except requests.RequestException:
                    return False

            _wait_for(up, 60, "the app server")

            results: dict[int, tuple[int, float]] = {}

            def person(n: int) -> None:
                time.sleep(n * 0.15)  # arrivals spread over about 6 s, around the restart
                results[n] = _register(base, path, n, session_id)

            threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
            for t in threads:
                t.start()
            # Restart once some people are through, while the others are on their way.
            _wait_for(lambda: sum(1 for st, _ in list(results.values()) if st == 302) >= 8, 60, "first registrations")
            restart_started = time.monotonic()
            cluster.restart()
            restart_done = time.monotonic()
            for t in threads:
                t.join(90)

            acknowledged = sorted(n for n, (status, _) in results.items() if status == 302)
            after_restart = [n for n in acknowledged if results[n][1] > restart_done]
            before_restart = [n for n in acknowledged if results[n][1] < restart_started]
            assert len(acknowledged) >= PEOPLE // 2, (results, ERRORS[:3])
            assert after_restart, "nothing was acknowledged after the restart: the test proved nothing"

            with psycopg.connect(url) as db:
                stored = {email for (email,) in db.execute("SELECT email FROM webinars_webinarregistration").fetchall()}
            missing = [n for n in acknowledged if f"lead{n}@example.com" not in stored]
            assert missing == [], f"acknowledged but not stored: {missing}"

            # Every acknowledged person gets the confirmation, sent by the same worker process.
            def all_mailed():
                return all(sink.received[f"lead{n}@example.com"] >= 1 for n in acknowledged)

            _wait_for(all_mailed, 60, "every confirmation email")
            assert worker.poll() is None, "the worker exited"
            assert server.poll() is None
            _while_the_server_is_down(cluster, base, path, session_id, url)
            print(  # noqa: T201 (the numbers for the report)
                f"acknowledged {len(acknowledged)}/{PEOPLE}: {len(before_restart)} before the restart, "
                f"answers {sorted(Counter(status for status, _ in results.values()).items())}, "
                f"{len(after_restart)} after; errors {ERRORS[:2]}; "
                f"restart took {restart_done - restart_started:.2f} s; emails {sink.total}"
            )
    finally:
        for proc in (server, worker):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        cluster.stop()

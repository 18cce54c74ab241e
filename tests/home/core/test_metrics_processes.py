"""Metrics across processes, as production runs them: gunicorn with two workers and a separate
process (the task worker's place) share PROMETHEUS_MULTIPROC_DIR; any scrape, whichever worker
answers it, shows the sum of all of them; a dead process's leftovers from an earlier run are
tidied at start; /metrics is refused without the token. Production settings, a SQLite file that
was never migrated (the database-backed collector says it failed, the rest is served)."""

import re
import subprocess
import sys
import time

import pytest

from tests.processes import BASE_DIR, _free_port, production_env, stop_group
from tests.test_multi_process import _request

TOKEN = "metrics-" + "Hq7Wn2Lx5Zp8Rc3Vb6Tk9Md1Fs4Gy0Ja"
pytestmark = pytest.mark.slow


def _count_emails(env, n: int) -> None:
    code = f"from home.core.metrics import EMAILS_SENT; EMAILS_SENT.inc({n})"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _value(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_one_scrape_adds_up_every_process_of_the_machine(tmp_path):
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = production_env(
        database_url=f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}",
        tmp=tmp_path,
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        GUNICORN_WORKERS="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
    )
    _count_emails(env, 3)  # an earlier run's process, now gone: tidied away when gunicorn starts
    gunicorn = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            assert gunicorn.poll() is None, gunicorn.stderr.read().decode()[-3000:]
            try:
                if _request(port, "GET", "/metrics")[0] == 403:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        _count_emails(env, 2)  # the task worker's place: another process of this machine
        proxy = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        for _ in range(20):
            assert _request(port, "GET", "/robots.txt", headers=proxy)[0] == 200

        assert _request(port, "GET", "/metrics", headers={"Authorization": "Bearer not-it"})[0] == 403
        robots = 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="home:robots"}'
        for _ in range(4):  # whichever gunicorn worker answers, it reports them all
            status, headers, _, text = _request(port, "GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
            assert status == 200 and headers["Content-Type"].startswith("text/plain")
            assert _value(text, robots) == 20
            assert _value(text, "huddle_emails_sent_total") == 2
            assert _value(text, 'huddle_collector_up{collector="runtime"}') == 0  # no tables: said, not a 500
        assert len(list(metrics_dir.glob("*.db"))) >= 2
    finally:
        stop_group(gunicorn, timeout=40)

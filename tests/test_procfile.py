"""The deployment recipe, as written: the production `Procfile` run by honcho, in production
settings, against PostgreSQL and Redis, with the demo loaded, passes `bin/smoke` (home, log-in, a
lesson read by the demo leader, /healthz with the worker's and the scheduler's heartbeats), then
stops cleanly on SIGTERM: every process exits, the scheduler gives up its lease and the
heartbeats are withdrawn.
"""

import subprocess
import sys
import time

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

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _runtime_rows(database_url: str) -> tuple[int, int]:
    """Heartbeats left, and the scheduler's lease, read straight from the database (a query, not
    another `manage.py shell`, which would pay Django's start-up again)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        heartbeats = conn.execute("SELECT count(*) FROM runtime_heartbeat").fetchone()[0]
        leases = conn.execute("SELECT count(*) FROM runtime_lease WHERE name = 'scheduler'").fetchone()[0]
    return heartbeats, leases


def test_the_procfile_runs_in_production_settings_and_passes_the_smoke_test(tmp_path):
    started = time.monotonic()
    with fresh_database("procfile") as database_url:
        port = _free_port()
        env = production_env(database_url=database_url, tmp=tmp_path, GUNICORN_BIND=f"127.0.0.1:{port}")
        # The deploy steps of the README; collectstatic alongside, as it needs no database.
        static_root, collecting = static_root_collecting(env)
        env["STATIC_ROOT"] = str(static_root)
        # 259 migrations: about 40 s of CPU, minutes on a machine whose cores are shared.
        manage(env, "migrate", "--noinput", "-v0", timeout=900)
        manage(env, "seed_demo")
        manage(env, "site_from_env")  # after the demo, which makes a Site of its own
        if collecting:
            finished(collecting, "collectstatic")
        prepared = time.monotonic()
        (tmp_path / "empty.env").write_text("")

        log = (tmp_path / "honcho.log").open("w+")
        honcho = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/honcho"), "start", "-f", "Procfile", "-e", str(tmp_path / "empty.env"),
             "--no-colour", "-p", str(port)],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            smoke = subprocess.run(
                [sys.executable, "bin/smoke", f"http://127.0.0.1:{port}", "--behind-proxy", "--wait", "45"],
                cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert smoke.returncode == 0, smoke.stdout + smoke.stderr + _tail(log)
            assert "smoke test passed" in smoke.stdout
            assert "read in full" in smoke.stdout and "heartbeats: worker" in smoke.stdout
            smoked = time.monotonic()
        finally:
            stopping = time.monotonic()
            code = stop_group(honcho, timeout=45)
        stopped = time.monotonic()
        output = _tail(log, 20000)
        assert code is not None, "honcho did not stop within 45 s of SIGTERM:\n" + output
        for name in ("web.1", "worker.1", "scheduler.1"):
            assert f"{name} stopped" in output, f"{name} did not stop:\n{output}"
        assert "Traceback" not in output, output
        # A graceful stop: the scheduler let go of its lease, the processes withdrew their heartbeats.
        assert _runtime_rows(database_url) == (0, 0)
    print(
        f"\nProcfile deploy check: {prepared - started:.0f} s to prepare, {smoked - prepared:.0f} s to start and pass "
        f"the smoke test, {stopped - stopping:.0f} s to stop, {time.monotonic() - started:.0f} s in all"
    )


def _tail(log, size: int = 4000) -> str:
    log.flush()
    log.seek(0)
    return "\nhoncho output:\n" + log.read()[-size:]

"""Helpers for the tests that run the real processes (gunicorn, worker, scheduler) in production
settings against PostgreSQL and Redis: a fresh database of their own, the production environment,
`manage.py` in a subprocess, and stopping a process group cleanly.

The HTTP and port helpers are the multi-process test's own (tests/test_multi_process.py).
"""

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

from tests.test_multi_process import _free_port, _postgres_url, _redis_answers

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET = "process-tests-" + "Qm4Rt8Vx2Lp6Nz0Kc3Hb7Wd1Jf5Gs9Ya" * 2
PUBLIC_URL = "https://huddle.example.com"
SENDER = "Huddle <hello@huddle-coaching.com>"

__all__ = ["_free_port", "fresh_database", "production_env", "manage", "stop_group", "redis_url"]
_STATIC_ROOT: list[Path] = []  # collected once per test run, shared by the tests that serve pages


def redis_url() -> str:
    """This run's Redis (its REDIS_URL, e.g. CI's or an engineer's own db number), else db 13."""
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


@contextlib.contextmanager
def fresh_database(suffix: str):
    """A new, empty PostgreSQL database named after the run's own plus `suffix`, dropped afterwards.
    Skips the test without PostgreSQL (DATABASE_URL) or Redis."""
    base = _postgres_url()
    if base is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_answers():
        pytest.skip("needs Redis answering on 127.0.0.1:6379")
    import psycopg

    parts = urllib.parse.urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'huddle'}_{suffix}"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(*, database_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    """config.settings.production with every required variable, as an operator would set them.
    Nothing is weakened: HTTPS redirect, secure cookies and HSTS stay on; clients send
    X-Forwarded-Proto: https as the load balancer would."""
    import redis

    redis.Redis.from_url(redis_url()).flushdb()
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "SENTRY_"))}
    env.update(
        PATH=f"{venv_bin}:{env.get('PATH', '/usr/bin:/bin')}",  # the Procfile says `gunicorn`, `python`
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        CERTIFICATE_SIGNING_KEY=RSAKey.generate_key(2048, private=True).as_pem(private=True).decode(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url(),
        SITE_URL=PUBLIC_URL,
        DEFAULT_FROM_EMAIL=SENDER,
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="plain",
        GUNICORN_WORKERS="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp / "metrics"),  # not the checkout's var/metrics
    )
    env.update(extra)
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def manage_async(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def static_root_collecting(env: dict) -> tuple[Path, subprocess.Popen | None]:
    """A STATIC_ROOT with production's collected static files (hashed and compressed), and the
    collectstatic still running (None when an earlier test already collected them this run):
    collectstatic needs no database, so it runs beside `migrate`."""
    if _STATIC_ROOT:
        return _STATIC_ROOT[0], None
    root = Path(tempfile.mkdtemp(prefix="huddle-test-static-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    proc = manage_async({**env, "STATIC_ROOT": str(root)}, "collectstatic", "--noinput", "-v0")
    _STATIC_ROOT.append(root)
    return root, proc


def finished(proc: subprocess.Popen, what: str, timeout: float = 300) -> None:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"{what} failed:\n{out[-2000:]}\n{err[-4000:]}"


def stop_group(proc: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 30) -> int | None:
    """Send `sig` to the process (its group leader, started with start_new_session) and wait; kill
    the whole group if it is still there after `timeout`. Returns the exit code, None if killed."""
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
        return None

"""Real processes for runtime tests: an SMTP sink that counts what it was handed (seen across
processes, unlike locmem) and `manage.py run_worker` started as a child process."""

import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """aiosmtpd on a free loopback port; `received` counts each recipient of each accepted message."""

    def __init__(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.received: Counter = Counter()
        self.subjects: list[str] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._lock:
            self.received.update(envelope.rcpt_tos)
            self.subjects.append(envelope.content.split(b"Subject: ", 1)[-1].split(b"\n", 1)[0].decode().strip())
        return "250 OK"

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.received.values())

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def worker_env(database_url: str, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="True",  # unhashed static names: no collectstatic needed for these servers
        DATABASE_URL=database_url,
        TASK_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="0",
    )
    return env


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def database_url_of(connection) -> str:
    """A URL for the test run's own (test_...) PostgreSQL database, for child processes."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

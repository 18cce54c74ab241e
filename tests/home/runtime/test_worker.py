from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.core.mail import email_queue
from home.runtime.heartbeat import LEASE, heartbeat_touch
from home.runtime.models import Heartbeat
from home.runtime.selectors import failed_outbound_count
from home.runtime.services import failed_task_retry
from home.runtime.worker import ReliableWorker, orphaned_tasks_requeue


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """The worker loop calls Django's close_old_connections() between tasks; inside a test's
    transaction that drops the connection on PostgreSQL (autocommit differs from the settings), as
    Django's own TestCase prevents for requests. The worker's behaviour is otherwise unchanged."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


pytestmark = pytest.mark.django_db


def _worker(worker_id="w1"):
    return ReliableWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    )  # fmt: skip


def _claim(row, worker_id="w1"):
    row.refresh_from_db()
    row.claim(worker_id)
    return row


def test_failed_email_is_retried_with_backoff_then_shown_to_the_coach(db_queue, closed_smtp, settings):
    email_queue(EmailMessage("Hello", "Body", to=["someone@example.com"]))
    row = DBTaskResult.objects.get()
    worker = _worker()

    worker.run_task(_claim(row))
    row.refresh_from_db()
    assert row.status == "READY"  # back in the queue, not FAILED
    assert row.run_after > timezone.now() + timedelta(seconds=20)  # first backoff ~30 s
    assert "ConnectionRefusedError" in row.exception_class_path
    assert failed_outbound_count() == 0

    for _ in range(5):  # attempts 2..6: the last one fails for good
        DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
        worker.run_task(_claim(row))
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert len(row.worker_ids) == 6
    assert failed_outbound_count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert failed_task_retry(task_id=str(row.pk)) == 1
    row.refresh_from_db()
    assert (row.status, row.worker_ids) == ("READY", [])
    worker.run_task(_claim(row))
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["someone@example.com"]]
    assert failed_outbound_count() == 0


def test_task_of_a_dead_worker_is_queued_again_and_a_live_ones_is_not(db_queue):
    email_queue(EmailMessage("A", "a", to=["a@example.com"]))
    email_queue(EmailMessage("B", "b", to=["b@example.com"]))
    dead, alive = DBTaskResult.objects.order_by("enqueued_at")
    long_ago = timezone.now() - LEASE - timedelta(seconds=5)
    _claim(dead, "dead-worker")
    _claim(alive, "live-worker")
    DBTaskResult.objects.update(started_at=long_ago)
    Heartbeat.objects.create(process_id="dead-worker", kind="worker", last_seen=long_ago)
    heartbeat_touch(process_id="live-worker", kind="worker")

    assert orphaned_tasks_requeue() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == ("READY", "RUNNING")
    assert dead in DBTaskResult.objects.ready()


def test_worker_loop_survives_database_errors(monkeypatch, db_queue):
    from django_tasks_db.management.commands import db_worker

    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(db_worker.Worker, "run", flaky_run)
    monkeypatch.setattr(ReliableWorker, "_beat_forever", lambda self: None)
    monkeypatch.setattr("home.runtime.worker.time.sleep", lambda s: None)
    _worker().run()  # returns instead of raising
    assert len(calls) == 3


def test_worker_runs_queued_tasks_and_leaves_no_heartbeat_behind(db_queue, monkeypatch):
    beats = []
    monkeypatch.setattr(ReliableWorker, "_beat_forever", lambda self: beats.append(self.worker_id))
    heartbeat_touch(process_id="batch-worker", kind="worker")
    email_queue(EmailMessage("Hi", "there", to=["x@example.com"]))
    _worker("batch-worker").run()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert beats == ["batch-worker"]
    assert not Heartbeat.objects.filter(process_id="batch-worker").exists()


def test_task_interrupted_by_a_database_error_is_queued_again_by_its_living_worker(db_queue, monkeypatch):
    """The database goes away while the worker saves a task's result: the task is left RUNNING
    under a worker whose heartbeat is fresh, so only that worker can put it back."""
    email_queue(EmailMessage("Hi", "there", to=["x@example.com"]))
    row = _claim(DBTaskResult.objects.get())
    worker = _worker()

    def database_gone(self, value):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DBTaskResult, "set_successful", database_gone)
    monkeypatch.setattr("home.runtime.worker.task_retry_later", lambda result, exc: database_gone(None, None))
    with pytest.raises(OperationalError):
        worker.run_task(row)
    assert DBTaskResult.objects.get().status == "RUNNING"
    monkeypatch.undo()
    worker.requeue_interrupted()
    row = DBTaskResult.objects.get()
    assert row.status == "READY" and row.started_at is None
    assert not worker._interrupted

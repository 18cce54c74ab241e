"""The runtime's metrics, read from the database at each scrape: the queue's depth and age, the
scheduler's lease holder and the heartbeats; and the worker's count of tasks that failed for good."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from home.core.mail import email_queue
from home.runtime.metrics import runtime_metrics
from home.runtime.models import Heartbeat, Lease
from home.runtime.worker import ReliableWorker

pytestmark = pytest.mark.django_db


def _samples() -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in runtime_metrics()
        for sample in family.samples
    }


def _task(status="READY", *, run_after, queue="default"):
    return DBTaskResult.objects.create(
        task_path="home.core.mail.email_send", args_kwargs={"args": [], "kwargs": {}}, status=status,
        run_after=run_after, queue_name=queue, backend_name="default",
    )  # fmt: skip


def test_queue_depth_and_the_age_of_the_oldest_due_task():
    now = timezone.now()
    _task(run_after=now - timedelta(seconds=90))
    _task(run_after=now - timedelta(seconds=10))
    _task(run_after=now + timedelta(minutes=4))  # a retry waiting out its backoff
    _task(run_after=now - timedelta(seconds=5), queue="pdf")
    _task("RUNNING", run_after=now - timedelta(minutes=1))
    _task("SUCCESSFUL", run_after=now - timedelta(hours=1))
    samples = _samples()
    assert samples[("huddle_tasks_queued", (("queue", "default"), ("when", "due")))] == 2
    assert samples[("huddle_tasks_queued", (("queue", "default"), ("when", "later")))] == 1
    assert samples[("huddle_tasks_queued", (("queue", "pdf"), ("when", "due")))] == 1
    assert 90 <= samples[("huddle_tasks_oldest_due_age_seconds", (("queue", "default"),))] < 120
    assert samples[("huddle_tasks_running", ())] == 1


def test_the_scheduler_lease_holder_and_the_heartbeats():
    now = timezone.now()
    Heartbeat.objects.create(process_id="scheduler-a", kind="scheduler", hostname="web-2", last_seen=now)
    Heartbeat.objects.create(process_id="scheduler-b", kind="scheduler", hostname="web-1", last_seen=now)
    Heartbeat.objects.create(process_id="worker-a", kind="worker", hostname="web-1", last_seen=now - timedelta(hours=2))
    Lease.objects.create(name="scheduler", holder="scheduler-a", expires_at=now + timedelta(seconds=20))
    samples = _samples()
    assert samples[("huddle_scheduler_leader", (("holder", "scheduler-a"), ("hostname", "web-2")))] == 1
    assert not any(
        name == "huddle_scheduler_leader" and dict(labels)["holder"] == "scheduler-b" for name, labels in samples
    )
    assert samples[("huddle_processes_alive", (("kind", "scheduler"),))] == 2
    assert samples[("huddle_processes_alive", (("kind", "worker"),))] == 0
    assert samples[("huddle_process_heartbeat_age_seconds", (("kind", "worker"),))] >= 7200

    Lease.objects.update(expires_at=now - timedelta(seconds=1))  # nobody leads
    assert not [key for key in _samples() if key[0] == "huddle_scheduler_leader"]


def test_a_task_that_fails_for_good_is_counted(db_queue, closed_smtp, monkeypatch):
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    before = REGISTRY.get_sample_value("huddle_tasks_failed_total", {"task": "home.core.mail.email_send"}) or 0
    failed_attempts = REGISTRY.get_sample_value("huddle_email_attempts_failed_total") or 0
    email_queue(EmailMessage("Hello", "Body", to=["someone@example.com"]))
    row = DBTaskResult.objects.get()
    worker = ReliableWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w1", excluded_queue_names=[],
    )  # fmt: skip
    for _ in range(6):
        DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
        row.refresh_from_db()
        row.claim("w1")
        worker.run_task(row)
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert REGISTRY.get_sample_value("huddle_tasks_failed_total", {"task": "home.core.mail.email_send"}) == before + 1
    assert REGISTRY.get_sample_value("huddle_email_attempts_failed_total") == failed_attempts + 6

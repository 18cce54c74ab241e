"""The task worker: django-tasks-db's worker, made dependable.

What the library's `db_worker` lacks, and this adds:
- it survives database errors in its polling loop (a PostgreSQL restart): it logs, drops the
  connection and tries again with a growing pause, instead of exiting;
- a heartbeat thread touches this process's Heartbeat row every few seconds, and every worker
  re-queues RUNNING tasks whose worker has been silent for longer than the lease (killed, out
  of memory, stopped by a deploy), so no task stays RUNNING for ever;
- a task marked `@retrying()` (home.core.tasks) that raises goes back in the queue with an
  exponential backoff until its last attempt; only then is it FAILED.
Several workers on several machines share the queue: the library claims each task with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL.
"""

import contextlib
import logging
import threading
import time
from datetime import timedelta
from traceback import format_exception

from django.db import DatabaseError, InterfaceError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from home.core.metrics import TASKS_FAILED
from home.core.tasks import retry_policy

from .heartbeat import BEAT_SECONDS, LEASE, heartbeat_forget, heartbeat_touch, live_process_ids
from .models import Heartbeat

logger = logging.getLogger("home.runtime.worker")
READY, RUNNING = "READY", "RUNNING"


def orphaned_tasks_requeue(*, now=None) -> int:
    """Put RUNNING tasks whose worker is dead (no heartbeat within the lease) back in the queue."""
    now = now or timezone.now()
    live = live_process_ids(kind=Heartbeat.Kind.WORKER, now=now)
    requeued = 0
    rows = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=now - LEASE).values_list(
        "pk", "worker_ids", "started_at"
    )
    for pk, worker_ids, started_at in rows:
        if worker_ids and worker_ids[-1] in live:
            continue
        requeued += DBTaskResult.objects.filter(pk=pk, status=RUNNING, started_at=started_at).update(
            status=READY, started_at=None, run_after=now
        )
    if requeued:
        logger.warning("re-queued %d task(s) whose worker stopped", requeued)
    return requeued


def task_retry_later(db_task_result: DBTaskResult, exc: BaseException) -> bool:
    """Put a failed attempt back in the queue when its task's policy allows another; True if so."""
    try:
        policy = retry_policy(db_task_result.task.func)
    except Exception:  # the task can no longer be imported: nothing to retry
        return False
    attempt = len(db_task_result.worker_ids)
    if policy is None or attempt >= policy.max_attempts:
        return False
    delay = policy.delay_after(attempt)
    DBTaskResult.objects.filter(pk=db_task_result.pk).update(
        status=READY,
        started_at=None,
        run_after=timezone.now() + timedelta(seconds=delay),
        exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
        traceback="".join(format_exception(exc)),
    )
    logger.warning(
        "task %s attempt %d/%d failed (%s); retrying in %.0f s",
        db_task_result.task_path,
        attempt,
        policy.max_attempts,
        type(exc).__name__,
        delay,
    )
    return True


class ReliableWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self._interrupted: set = set()

    # --- heartbeat ----------------------------------------------------------------------
    def _beat_forever(self) -> None:
        last_reap = 0.0
        while not self._stop.is_set():
            try:
                heartbeat_touch(process_id=self.worker_id, kind=Heartbeat.Kind.WORKER)
                if time.monotonic() - last_reap > LEASE.total_seconds() / 2:
                    orphaned_tasks_requeue()
                    last_reap = time.monotonic()
            except Exception:  # the database is away; the next beat tries again
                logger.warning("worker heartbeat failed", exc_info=True)
                connections.close_all()
            self._stop.wait(BEAT_SECONDS)
        connections.close_all()

    # --- the loop -----------------------------------------------------------------------
    def run(self) -> None:
        beat = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beat.start()
        pause = 1.0
        try:
            while self.running:
                try:
                    self.requeue_interrupted()
                    super().run()
                    return  # batch or max-tasks finished
                except (DatabaseError, InterfaceError):
                    if not self.running:  # a stop signal landed mid-commit (its handler exits there): a clean stop
                        return
                    logger.warning("database error in the worker loop; retrying in %.0f s", pause, exc_info=True)
                    with contextlib.suppress(Exception):
                        close_old_connections()
                        connections.close_all()
                    time.sleep(pause)
                    pause = min(pause * 2, 10.0)
        finally:
            self._stop.set()
            beat.join(timeout=BEAT_SECONDS + 1)
            with contextlib.suppress(Exception):  # the database may be what stopped us
                heartbeat_forget(process_id=self.worker_id)

    def requeue_interrupted(self) -> None:
        """Tasks this (living) worker was running when the database went away stay RUNNING, and no
        other worker re-queues them while our heartbeat is fresh: put them back ourselves."""
        for pk in list(self._interrupted):
            try:
                DBTaskResult.objects.filter(pk=pk, status=RUNNING).update(
                    status=READY, started_at=None, run_after=timezone.now()
                )
            except (DatabaseError, InterfaceError):
                return  # still away: the next turn of the loop tries again
            self._interrupted.discard(pk)
            logger.warning("re-queued task %s, interrupted by a database error", pk)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self._run_task(db_task_result)
        except (DatabaseError, InterfaceError):  # its result (or retry) could not be saved
            self._interrupted.add(db_task_result.pk)
            raise

    def _run_task(self, db_task_result: DBTaskResult) -> None:
        """The library's run_task, with a retry for tasks whose policy allows another attempt."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            raise  # leave it RUNNING: the next worker re-queues it after the lease
        except Exception as exc:
            if task_retry_later(db_task_result, exc):
                return
            logger.error("task %s failed for good", db_task_result.task_path, exc_info=exc)
            TASKS_FAILED.labels(task=db_task_result.task_path).inc()
            db_task_result.set_failed(exc)
            try:
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                )
            except Exception:
                logger.exception("task id=%s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1

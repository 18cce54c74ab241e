"""The scheduler: enqueues the periodic tasks named in settings.SCHEDULED_TASKS on their cron
schedule (APScheduler's cron triggers), from exactly one process at a time.

Leadership is a database lease (models.Lease) renewed every few seconds, not a Redis lock, so the
scheduler keeps working while Redis is away, and the same code runs in development (SQLite, one
process) and production (several machines: the others wait and take over within the lease when the
leader stops). The scheduler only enqueues; the workers do the work, with their retries. Every
scheduled task is idempotent (ledgers and claims), so a rare double enqueue is harmless, and a task
that is already waiting in the queue is not enqueued again.
"""

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from .heartbeat import BEAT_SECONDS, heartbeat_touch, lease_acquire
from .models import Heartbeat

logger = logging.getLogger("home.runtime.scheduler")
LEASE_NAME = "scheduler"


def scheduled_task_enqueue(task_path: str) -> bool:
    """Enqueue the task at `task_path` unless the same task is already waiting; True if enqueued."""
    task = import_string(task_path)
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult

        backend_is_db = isinstance(task.get_backend(), DatabaseBackend)
        if backend_is_db and DBTaskResult.objects.ready().filter(task_path=task.module_path).exists():
            return False
    except ImportError:
        pass
    task.enqueue()
    return True


class Scheduler:
    def __init__(self, *, process_id: str):
        self.process_id = process_id
        self.is_leader = False
        self.blocking = BlockingScheduler(timezone=settings.TIME_ZONE)

    def keep_lease(self) -> None:
        try:
            heartbeat_touch(process_id=self.process_id, kind=Heartbeat.Kind.SCHEDULER)
            leader = lease_acquire(name=LEASE_NAME, holder=self.process_id)
        except Exception:
            logger.warning("scheduler: database unreachable, not leading until it is back", exc_info=True)
            connections.close_all()
            leader = False
        if leader != self.is_leader:
            logger.info("scheduler %s is %s", self.process_id, "now the leader" if leader else "standing by")
        self.is_leader = leader

    def fire(self, name: str, task_path: str) -> None:
        if not self.is_leader:
            return
        try:
            if scheduled_task_enqueue(task_path):
                logger.info("scheduled %s", name)
        except Exception:
            logger.exception("scheduler: could not enqueue %s", name)
            connections.close_all()

    def run(self) -> None:
        self.keep_lease()
        self.blocking.add_job(self.keep_lease, "interval", seconds=BEAT_SECONDS, id="lease", max_instances=1)
        for name, entry in settings.SCHEDULED_TASKS.items():
            trigger = CronTrigger.from_crontab(entry["cron"], timezone=settings.TIME_ZONE)
            self.blocking.add_job(
                self.fire, trigger, args=[name, entry["task"]], id=name, max_instances=1, coalesce=True
            )
        logger.info("scheduler %s: %s", self.process_id, ", ".join(settings.SCHEDULED_TASKS) or "no jobs")
        self.blocking.start()

    def stop(self) -> None:
        if self.blocking.running:
            self.blocking.shutdown(wait=False)

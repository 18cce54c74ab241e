"""Reads about the background processes and the work that failed for good."""

from django.conf import settings
from django.utils import timezone

from home.core.tasks import retry_policy

from .heartbeat import LEASE, last_heartbeat
from .models import Heartbeat


def processes_health(*, now=None) -> dict[str, dict]:
    """For /healthz: each process kind's last heartbeat, its age in seconds and whether it is alive."""
    now = now or timezone.now()
    report = {}
    for kind in (Heartbeat.Kind.WORKER, Heartbeat.Kind.SCHEDULER):
        seen = last_heartbeat(kind=kind)
        report[str(kind)] = {
            "alive": bool(seen and now - seen <= LEASE),
            "last_heartbeat": seen.isoformat() if seen else None,
            "age_seconds": round((now - seen).total_seconds(), 1) if seen else None,
        }
    return report


def _uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


def failed_outbound_tasks():
    """FAILED task results (after their last retry) of tasks that talk to the outside, newest first.
    Empty when the queue is not the database backend (tests, immediate mode)."""
    if not _uses_database_queue():
        return []
    from django_tasks_db.models import DBTaskResult

    rows = []
    for result in DBTaskResult.objects.failed().order_by("-finished_at")[:500]:
        try:
            policy = retry_policy(result.task.func)
        except Exception:  # noqa: S112  (a task that no longer exists: not ours to retry)
            continue
        if policy is not None and policy.outbound:
            result.what = policy.label  # "email", "Stripe event": what the coach reads
            rows.append(result)
    return rows


def failed_outbound_count() -> int:
    return len(failed_outbound_tasks())


def any_failed_task_exists():
    """An `Exists` expression, true when some task result FAILED (outbound or not), to fold into a
    larger query: a cheap gate before `failed_outbound_tasks` reads the rows. None without the
    database queue (nothing can fail for good there)."""
    if not _uses_database_queue():
        return None
    from django.db.models import Exists
    from django_tasks_db.models import DBTaskResult

    return Exists(DBTaskResult.objects.failed())

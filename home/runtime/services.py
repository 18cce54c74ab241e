"""Writes on background work: the coach's "retry" of work that failed for good."""

from django.utils import timezone

from .selectors import failed_outbound_tasks


def failed_task_retry(*, task_id: str | None = None) -> int:
    """Queue failed outbound tasks again with a fresh set of attempts (one, or all when task_id is
    None). Returns how many were queued. Each task is idempotent, so a retry sends nothing twice."""
    from django_tasks_db.models import DBTaskResult

    ids = [r.pk for r in failed_outbound_tasks() if task_id is None or str(r.pk) == str(task_id)]
    return DBTaskResult.objects.filter(pk__in=ids, status="FAILED").update(
        status="READY", run_after=timezone.now(), worker_ids=[], started_at=None, finished_at=None
    )

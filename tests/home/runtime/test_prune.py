"""The queue's table does not grow for ever: the nightly prune removes successful task results
after 14 days and failed ones after 90, and keeps everything waiting, running or recent."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.runtime.tasks import task_results_prune

pytestmark = pytest.mark.django_db


def _result(status: str, *, days_ago: float) -> DBTaskResult:
    finished = timezone.now() - timedelta(days=days_ago)
    return DBTaskResult.objects.create(
        task_path="home.core.mail.email_send", args_kwargs={"args": [], "kwargs": {}}, status=status,
        run_after=finished, queue_name="default", backend_name="default",
        finished_at=finished if status in ("SUCCESSFUL", "FAILED") else None,
    )  # fmt: skip


def test_old_results_go_and_the_rest_stays(db_queue):
    gone = [_result("SUCCESSFUL", days_ago=15), _result("FAILED", days_ago=91)]
    kept = [
        _result("SUCCESSFUL", days_ago=13),
        _result("FAILED", days_ago=30),  # still on the coach's retry screen
        _result("READY", days_ago=40),
        _result("RUNNING", days_ago=40),
    ]
    task_results_prune.call()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {r.pk for r in kept}
    assert not DBTaskResult.objects.filter(pk__in=[r.pk for r in gone]).exists()


def test_the_scheduler_runs_it_every_night():
    entry = settings.SCHEDULED_TASKS["task-results-prune"]
    assert entry["task"] == "home.runtime.tasks.task_results_prune" and entry["cron"] == "41 3 * * *"

"""Periodic tasks owned by the runtime (enqueued by the scheduler, see settings.SCHEDULED_TASKS)."""

from django.core.management import call_command
from django_tasks import task

from .heartbeat import old_heartbeats_prune


@task()
def scheduled_pages_publish() -> None:
    """Wagtail's scheduled publishing: pages whose go-live time has come go live, expired ones go
    offline (the `publish_scheduled` command, idempotent)."""
    call_command("publish_scheduled")


@task()
def heartbeats_prune() -> int:
    return old_heartbeats_prune()


@task()
def task_results_prune() -> None:
    """Keep the queue's table small: successful task results go after 14 days; failed ones (the
    coach's "could not be sent" screen and its retry buttons) after 90."""
    call_command(
        "prune_db_task_results", "--queue-name", "*", "--min-age-days", "14", "--failed-min-age-days", "90", verbosity=0
    )

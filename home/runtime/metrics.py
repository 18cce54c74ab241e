"""The runtime's metrics, read from the database at each scrape (registered in apps.ready with
home.core.metrics.register_collector): the same numbers whichever machine is scraped.

Five small queries: the waiting tasks by queue (READY rows: the queue's own partial index), the
running ones, the scheduler's lease and its holder's host, and the newest heartbeat of each kind.
"""

from collections.abc import Iterator

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from .heartbeat import LEASE
from .models import Heartbeat, Lease
from .scheduler import LEASE_NAME


def _queue_metrics(now) -> Iterator[Metric]:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status="READY")
    due = ready.values("queue_name").annotate(
        due=Count("pk", filter=Q(run_after__lte=now)),
        later=Count("pk", filter=Q(run_after__gt=now)),
        oldest=Min("run_after", filter=Q(run_after__lte=now)),
    )
    depth = GaugeMetricFamily(
        "huddle_tasks_queued",
        "Tasks waiting for a worker: due now, or later (a retry's backoff).",
        labels=["queue", "when"],
    )
    age = GaugeMetricFamily(
        "huddle_tasks_oldest_due_age_seconds", "How long the oldest due task has waited (0: none).", labels=["queue"]
    )
    for row in due:
        depth.add_metric([row["queue_name"], "due"], row["due"])
        depth.add_metric([row["queue_name"], "later"], row["later"])
        age.add_metric([row["queue_name"]], (now - row["oldest"]).total_seconds() if row["oldest"] else 0)
    running = GaugeMetricFamily("huddle_tasks_running", "Tasks a worker is running now.")
    running.add_metric([], DBTaskResult.objects.filter(status="RUNNING").count())
    yield from (depth, age, running)


def runtime_metrics() -> Iterator[Metric]:
    now = timezone.now()
    yield from _queue_metrics(now)

    lease = Lease.objects.filter(name=LEASE_NAME, expires_at__gt=now).values("holder", "expires_at").first()
    holder = GaugeMetricFamily(
        "huddle_scheduler_leader",
        "1 for the scheduler process holding the lease (none: no scheduler is active).",
        labels=["holder", "hostname"],
    )
    if lease:
        hostname = Heartbeat.objects.filter(process_id=lease["holder"]).values_list("hostname", flat=True).first() or ""
        holder.add_metric([lease["holder"], hostname], 1)
    yield holder

    beats = Heartbeat.objects.values("kind").annotate(
        newest=Max("last_seen"), alive=Count("pk", filter=Q(last_seen__gte=now - LEASE))
    )
    age = GaugeMetricFamily(
        "huddle_process_heartbeat_age_seconds", "Seconds since any process of this kind beat.", labels=["kind"]
    )
    alive = GaugeMetricFamily(
        "huddle_processes_alive", "Processes of this kind that beat within the lease.", labels=["kind"]
    )
    seen = {row["kind"]: row for row in beats}
    for kind in Heartbeat.Kind.values:
        row = seen.get(kind)
        if row:
            age.add_metric([kind], (now - row["newest"]).total_seconds())
        alive.add_metric([kind], row["alive"] if row else 0)
    yield from (age, alive)

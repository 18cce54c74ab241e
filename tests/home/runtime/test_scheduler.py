from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.runtime.heartbeat import lease_acquire
from home.runtime.models import Lease
from home.runtime.scheduler import Scheduler, scheduled_task_enqueue

pytestmark = pytest.mark.django_db


def test_one_scheduler_leads_and_another_takes_over_when_it_stops():
    assert lease_acquire(name="scheduler", holder="a")
    assert not lease_acquire(name="scheduler", holder="b")
    assert lease_acquire(name="scheduler", holder="a")  # renewal
    Lease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))  # "a" stopped renewing
    assert lease_acquire(name="scheduler", holder="b")
    assert not lease_acquire(name="scheduler", holder="a")


def test_only_the_leader_enqueues(db_queue):
    leader, standby = Scheduler(process_id="leader"), Scheduler(process_id="standby")
    leader.keep_lease()
    standby.keep_lease()
    assert (leader.is_leader, standby.is_leader) == (True, False)
    standby.fire("publish", "home.runtime.tasks.scheduled_pages_publish")
    assert DBTaskResult.objects.count() == 0
    leader.fire("publish", "home.runtime.tasks.scheduled_pages_publish")
    leader.fire("publish", "home.runtime.tasks.scheduled_pages_publish")  # still waiting: not twice
    assert DBTaskResult.objects.count() == 1


def test_every_scheduled_task_imports_and_runs(settings):
    for entry in settings.SCHEDULED_TASKS.values():
        scheduled_task_enqueue(entry["task"])  # immediate backend in tests: runs it

"""The processes behind the site: the task worker, the scheduler, their heartbeats, and the
coach's view of background work that failed for good (label `runtime`)."""

from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """One row per worker or scheduler process, touched every few seconds while it lives.
    A worker whose row is older than the lease is dead: its running tasks are queued again."""

    class Kind(models.TextChoices):
        WORKER = "worker", "Worker"
        SCHEDULER = "scheduler", "Scheduler"

    process_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    hostname = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "last_seen"])]

    def __str__(self):
        return f"{self.kind} {self.process_id} ({self.hostname})"


class Lease(models.Model):
    """A named lease held by one process until `expires_at` (the scheduler's leadership).
    Taken or renewed by one conditional UPDATE, so two processes never both hold it."""

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"

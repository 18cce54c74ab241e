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


class EmailSuppression(models.Model):
    """An address we must not mail again, as the email provider reported it (a hard bounce, a spam
    complaint, an unsubscribe at the provider). Checked before every message leaves."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed at the provider"
        REJECTED = "rejected", "Rejected by the provider"

    email = models.EmailField(max_length=254, unique=True, help_text="Lower case.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    esp = models.CharField("provider", max_length=40, blank=True)
    detail = models.CharField(max_length=500, blank=True, help_text="The provider's description.")
    event_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "suppressed address"
        verbose_name_plural = "suppressed addresses"

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

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
    complaint, an unsubscribe at the provider), or the address of a deleted account. Checked before
    every message leaves. A deleted account's address is kept only as `email_hash` (sha256 of the
    lower-cased address): enough to recognise mail queued to it, not enough to read it back."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed at the provider"
        REJECTED = "rejected", "Rejected by the provider"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"

    email = models.EmailField(max_length=254, unique=True, null=True, blank=True, help_text="Lower case.")
    email_hash = models.CharField(
        max_length=64, blank=True, help_text="sha256 of the lower-cased address, when the address itself is erased."
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    esp = models.CharField("provider", max_length=40, blank=True)
    detail = models.CharField(max_length=500, blank=True, help_text="The provider's description.")
    event_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "suppressed address"
        verbose_name_plural = "suppressed addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash"], condition=~models.Q(email_hash=""), name="runtime_suppression_hash_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | ~models.Q(email_hash=""),
                name="runtime_suppression_has_address_or_hash",
            ),
        ]

    def __str__(self) -> str:
        shown = self.email or f"erased address {self.email_hash[:12]}…"
        return f"{shown} ({self.get_reason_display()})"

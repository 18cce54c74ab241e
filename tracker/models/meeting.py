"""Step 2: the month's results presented in the group meeting, and the stored meeting PDF."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .fields import validate_month
from .teams import Team


class PresentedManager(models.Manager):
    """Presentations in force: an undone one is kept (with who undid it, and when) but not counted."""

    def get_queryset(self):
        return super().get_queryset().filter(undone_at__isnull=True)


class MeetingPresentation(models.Model):
    """Results for the month were published in the group meeting (tracker.services.meeting says
    when a month may be marked). Undoing keeps the row with `undone_at`/`undone_by`; marking the
    month again reuses it. Every mark and undo is also kept, in order, as a PresentationEvent."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="presentations")
    month = models.DateField(validators=[validate_month])
    presented_at = models.DateTimeField(default=timezone.now)
    presented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    all_objects = models.Manager()  # every row, undone ones included
    objects = PresentedManager()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="tracker_one_presentation")]

    def __str__(self) -> str:
        return f"{self.team} presented {self.month:%Y-%m}"


class PresentationEvent(models.Model):
    """One "marked as presented" or "undone" of a team's month, who and when. Only ever added:
    the month's whole story stays, however often it was marked and undone."""

    class Action(models.TextChoices):
        PRESENTED = "presented", "Marked as presented"
        UNDONE = "undone", "Undone"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField(validators=[validate_month])
    action = models.CharField(max_length=9, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["team", "month", "at"], name="tracker_presentation_events")]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m} {self.action} {self.at:%Y-%m-%d %H:%M}"


class MeetingPdf(models.Model):
    """The meeting PDF of one team and month, stored under the SHA-256 of the HTML it was made from.

    Any change in what the PDF shows (a result, a target, a member, a metric, the team's settings)
    changes the HTML and so the key: a PDF is only ever served for the key of the current data.
    Big teams get theirs from a background task (tracker.services.meeting.render_meeting_pdf); the
    PENDING row is what stops every process from enqueueing the same render twice. Derived data, no history:
    a new PDF of the same team and month replaces the older ones."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(validators=[validate_month])
    key = models.CharField(max_length=64, help_text="SHA-256 of the PDF's HTML.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.BinaryField(blank=True, default=b"")
    requested_at = models.DateTimeField(default=timezone.now, help_text="When the last render was enqueued.")
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "key"], name="tracker_one_meeting_pdf_per_content")]
        indexes = [models.Index(fields=["team", "month"])]

    def __str__(self) -> str:
        return f"{self.team} meeting PDF {self.month:%Y-%m} ({self.status})"

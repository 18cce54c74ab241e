"""Targets and results (one value per member, metric and month), and the CSV imports of results."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .fields import VALUE_FIELD, validate_month
from .teams import Member, Metric, Team


class Target(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="targets")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="targets")
    month = models.DateField(validators=[validate_month])
    value = models.DecimalField(**VALUE_FIELD)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "metric", "month"], name="tracker_one_target")]
        indexes = [models.Index(fields=["month", "member"])]

    def __str__(self) -> str:
        return f"{self.member} {self.metric} {self.month:%Y-%m}: {self.value}"


class ResultImport(models.Model):
    """A CSV upload: previewed, then applied all at once, and undoable as a whole.

    `rows` holds every value the import writes ({member, metric, month, value}). What each value
    replaced is in the history (`ValueChange` rows with how="import"), which undo reads; imports
    applied before the history existed kept it in each row as `previous`. `undo_kept` lists the
    cells undo left alone because they had changed since the import.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Preview"
        APPLIED = "applied", "Applied"
        UNDONE = "undone", "Undone"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    # How the file was read, shown in the preview: "UTF-16", "Windows-1252"...; "," ";" or tab.
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    undo_kept = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.status}) for {self.team}"

    @property
    def delimiter_name(self) -> str:
        return {",": "commas", ";": "semicolons", "\t": "tabs"}.get(self.delimiter, "")


class Result(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="results")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="results")
    month = models.DateField(validators=[validate_month])
    value = models.DecimalField(**VALUE_FIELD)
    source_import = models.ForeignKey(ResultImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "metric", "month"], name="tracker_one_result")]
        indexes = [models.Index(fields=["month", "member"])]

    def __str__(self) -> str:
        return f"{self.member} {self.metric} {self.month:%Y-%m}: {self.value}"

"""The history of every target and result: who changed which cell, when, from what to what, and how."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .fields import validate_month
from .teams import Member, Metric, Team
from .values import ResultImport

HISTORY_VALUE = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class ValueChange(models.Model):
    """One change of one cell (a member's target or result for a metric and month).

    `old_value` / `new_value` are null for an empty cell (before it was first set, after it was
    cleared). Rows are only ever added: restoring an earlier value is a new change.
    """

    class Kind(models.TextChoices):
        TARGET = "target", "Target"
        RESULT = "result", "Result"

    class How(models.TextChoices):
        GRID = "grid", "Grid"
        IMPORT = "import", "Import"
        UNDO = "undo", "Undo of an import"
        RESTORE = "restore", "Restored from history"
        ANNUAL = "annual", "Annual target split by month"

    # An append-only audit log, written only by services.cells_write with the ids of the locked
    # team's own rows: like django-simple-history's tables it has no database-level foreign key
    # constraints (Django still cascades and nulls on delete), which on an import of 60,000 values
    # saved 300,000 constraint checks at commit. The composite indexes below lead with team, member
    # and source_import, so those need no index of their own.
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="value_changes", db_index=False, db_constraint=False
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    month = models.DateField(validators=[validate_month])
    kind = models.CharField(max_length=6, choices=Kind.choices)
    old_value = models.DecimalField(**HISTORY_VALUE)
    new_value = models.DecimalField(**HISTORY_VALUE)
    how = models.CharField(max_length=7, choices=How.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    changed_at = models.DateTimeField(default=timezone.now)
    source_import = models.ForeignKey(
        ResultImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "metric", "month", "kind"], name="tracker_change_cell"),
            models.Index(fields=["team", "month"], name="tracker_change_month"),
            models.Index(fields=["source_import", "how"], name="tracker_change_import"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id}/{self.metric_id} {self.month:%Y-%m}: {self.old_value} -> {self.new_value}"

"""Step 3: the monthly 1:1 with each member about one month's results, and the action items
agreed in it.

A month's "cycle" is about that month's results: targets communicated at its start (step 1),
results presented after it ends (step 2), a 1:1 with every member reviewing it (step 3), its
sub-par flags acted on (step 4) and its successes celebrated (step 5).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .fields import validate_month
from .teams import Member, Team


class OneOnOne(models.Model):
    """The monthly 1:1 with one member about one month's results. Notes are private to the leader."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="one_on_ones")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="one_on_ones")
    month = models.DateField(validators=[validate_month], help_text="The month whose results are reviewed.")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Private: only you and your co-leaders see them.")
    discussed_gap = models.BooleanField(
        default=False, help_text="We talked about the gap to standard and why it happened."
    )
    agenda = models.JSONField(default=dict, blank=True, help_text="The numbers as they stood when the 1:1 was held.")
    # The calendar invitation's SEQUENCE (RFC 5545): one more every time the 1:1 moves, so the
    # member's calendar replaces the earlier invitation (same UID) instead of keeping both.
    sequence = models.PositiveIntegerField(default=0)
    # One more at every save of the held 1:1's notes; the form carries the version it was opened
    # at, so a second tab cannot overwrite notes saved since (the conflict is shown instead).
    version = models.PositiveIntegerField(default=0)
    # Set when the leader cancels the 1:1: the member's calendar got a METHOD:CANCEL. The row and
    # its notes are kept (never lost); a cancelled 1:1 is not held, so it no longer counts for step 3.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "member__name"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="tracker_one_oneonone")]
        indexes = [models.Index(fields=["team", "month"])]
        verbose_name = "1:1"
        verbose_name_plural = "1:1s"

    def __str__(self) -> str:
        return f"1:1 with {self.member} about {self.month:%Y-%m}"

    @property
    def ics_uid(self) -> str:
        """Stable for the life of the 1:1: every invitation for it updates the same event."""
        return f"tracker-1on1-{self.pk}@huddle"

    def clean(self):
        if self.member_id and self.team_id and self.member.team_id != self.team_id:
            raise ValidationError({"member": "This member is not on the team."})


class ActionItem(models.Model):
    """Something someone will do before a due date. Created in a 1:1 and shown in every later 1:1
    from this one row, so closing it anywhere closes it everywhere. Leader-owned items are the
    leader's own "how I will help" commitments."""

    class Owner(models.TextChoices):
        MEMBER = "member", "Member"
        LEADER = "leader", "Leader"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="action_items")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="action_items")
    one_on_one = models.ForeignKey(
        OneOnOne, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.CharField(max_length=6, choices=Owner.choices, default=Owner.MEMBER)
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["member", "done_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def ics_uid(self) -> str:
        """Stable for the life of the 1:1: every invitation for it updates the same event."""
        return f"tracker-1on1-{self.pk}@huddle"

    def clean(self):
        if self.member_id and self.team_id and self.member.team_id != self.team_id:
            raise ValidationError({"member": "This member is not on the team."})

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

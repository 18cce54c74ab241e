"""Tracker part 2: steps 3-5 of the method and the leader's consistency.

A month's "cycle" is about that month's results: targets communicated at its start (step 1),
results presented after it ends (step 2), a 1:1 with every member reviewing it (step 3), its
sub-par flags acted on (step 4) and its successes celebrated (step 5).
Loaded by an import at the end of tracker/models.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .models import Member, Metric, Team, validate_month

__all__ = ["ActionItem", "Celebration", "ConsistencySettings", "ImprovementPlan", "OneOnOne", "PlanCheckIn"]


class ConsistencySettings(models.Model):
    """The leader's own deadlines and the sub-par threshold. A team without a row uses the defaults."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="consistency_settings")
    threshold_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="A member is flagged when overall attainment falls below this percentage.",
    )
    publish_within_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="Present the month's results in the team meeting within this many days after it ends.",
    )
    review_within_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="Hold every 1:1 about the month and record a celebration within this many days after it ends.",
    )
    act_within_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Act on a sub-par flag (a 1:1 about the gap or an improvement plan) within this many days.",
    )

    class Meta:
        verbose_name_plural = "consistency settings"

    def __str__(self) -> str:
        return f"Consistency settings for {self.team}"


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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "member__name"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="tracker_one_oneonone")]
        indexes = [models.Index(fields=["team", "month"])]
        verbose_name = "1:1"
        verbose_name_plural = "1:1s"

    def __str__(self) -> str:
        return f"1:1 with {self.member} about {self.month:%Y-%m}"

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

    def clean(self):
        if self.member_id and self.team_id and self.member.team_id != self.team_id:
            raise ValidationError({"member": "This member is not on the team."})

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class ImprovementPlan(models.Model):
    """Coaching a member up (or out) after a sub-par flag: firm but fair, and on the record."""

    class Outcome(models.TextChoices):
        OPEN = "", "Open"
        IMPROVED = "improved", "Improved"
        EXTENDED = "extended", "Extended"
        EXITED = "exited", "Exited"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="improvement_plans")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="improvement_plans")
    flagged_month = models.DateField(validators=[validate_month])
    below_standard = models.JSONField(
        default=dict, help_text="The numbers behind the flag: overall attainment and each metric below standard."
    )
    expectations = models.TextField(help_text="What good looks like, in numbers and behaviours.")
    support = models.TextField(help_text="What you, the leader, commit to do to help.")
    deadline = models.DateField()
    flag_detected_on = models.DateField(help_text="When the flag became known (the day after the month ended).")
    opened_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default=Outcome.OPEN)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Improvement plan for {self.member} ({self.flagged_month:%Y-%m})"

    def clean(self):
        if self.member_id and self.team_id and self.member.team_id != self.team_id:
            raise ValidationError({"member": "This member is not on the team."})
        if self.outcome and self.outcome_on is None:
            raise ValidationError({"outcome_on": "Give the date of the outcome."})

    @property
    def is_open(self) -> bool:
        return self.outcome in (self.Outcome.OPEN, self.Outcome.EXTENDED)

    @property
    def days_to_action(self) -> int:
        return max((timezone.localtime(self.opened_at).date() - self.flag_detected_on).days, 0)


class PlanCheckIn(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField(default=timezone.localdate)
    notes = models.TextField()
    planned = models.BooleanField(default=False, help_text="A check-in date set when the plan was opened.")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"Check-in {self.on} on {self.plan}"


class Celebration(models.Model):
    class Kind(models.TextChoices):
        TOP_PERFORMER = "top_performer", "Top performer"
        PERSONAL_BEST = "personal_best", "Personal best"
        STREAK = "streak", "Streak at target"
        MOST_IMPROVED = "most_improved", "Most improved"
        FIRST_TARGET_NEW_HIRE = "first_target_new_hire", "First month at target"
        CUSTOM = "custom", "Your own"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="celebrations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="celebrations")
    month = models.DateField(validators=[validate_month])
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.CUSTOM)
    metric = models.ForeignKey(Metric, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="A personal note; you can email it to the member.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "member__name", "pk"]
        indexes = [models.Index(fields=["team", "month"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.member_id and self.team_id and self.member.team_id != self.team_id:
            raise ValidationError({"member": "This member is not on the team."})


def month_end(month: datetime.date) -> datetime.date:
    from .attainment import add_months

    return add_months(month, 1) - datetime.timedelta(days=1)

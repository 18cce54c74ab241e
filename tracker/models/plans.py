"""Step 4: improvement plans opened from a sub-par flag, and their check-ins."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .fields import validate_month
from .teams import Member, Team


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

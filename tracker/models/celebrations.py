"""Step 5: the successes and personal bests the leader recorded (and may email to the member)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .fields import validate_month
from .teams import Member, Metric, Team


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

"""The leader's own deadlines for the five steps and the sub-par threshold (the consistency score
in tracker.selectors.consistency measures the leader against them)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .teams import Team


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

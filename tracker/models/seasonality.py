"""A team's seasonality profiles: what share of a year's target falls in each month."""

from django.db import models
from django.utils import timezone

from .teams import Team


class SeasonalityProfile(models.Model):
    """Twelve percentages, January first, adding up to 100 (a homebuilder's spring peak, say).
    Stored by calendar month, so a change of the team's year start does not shift the seasons.
    Checked by `tracker.rules.periods.profile_problem` before it is saved."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="seasonality_profiles")
    name = models.CharField(max_length=80)
    percents = models.JSONField(default=list, help_text="Twelve percentages as text, January first.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="tracker_one_profile_name_per_team")]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"

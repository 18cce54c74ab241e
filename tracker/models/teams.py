"""The team: who may use the tracker, the team, its co-leaders, members and metrics."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from ..rules.numbers import CURRENCY_CHOICES, FORMAT_CHOICES, PAPER_CHOICES, POINT, format_value

MONTH_CHOICES = [(n, datetime.date(2000, n, 1).strftime("%B")) for n in range(1, 13)]


class TrackerAccess(models.Model):
    """A free trial of the tracker the coach grants in Django admin (enrolled leaders need none)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_access")
    expires_on = models.DateField(null=True, blank=True, help_text="Leave empty for no end date.")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tracker free trial"

    def __str__(self) -> str:
        return f"Tracker trial for {self.user}"


class Team(models.Model):
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_teams")
    name = models.CharField(max_length=120)
    show_full_rankings = models.BooleanField(
        default=True,
        help_text="Show everyone's rank in the meeting view. Off: only the top half, plus everyone's personal progress.",
    )
    # How the team writes numbers and money: used to read the grids and CSV imports and to show
    # every value (tracker.rules.numbers). A new team takes its leader's usual ones.
    number_format = models.CharField(
        max_length=8,
        choices=FORMAT_CHOICES,
        default=POINT,
        help_text="Used to read what you type or import and to show every number.",
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    paper_size = models.CharField(
        max_length=8, choices=PAPER_CHOICES, default="Letter", help_text="For the meeting and target sheet PDFs."
    )
    consistency_start = models.DateField(
        null=True,
        blank=True,
        default=None,  # a default, so a settings form without this field leaves it as it is
        help_text="Count your consistency score from this month. Empty: from the month the team was created.",
    )
    # Quarters and the year to date on the rankings page, and annual targets, follow the team's
    # (fiscal) year. 1 = a calendar year.
    year_starts_in = models.PositiveSmallIntegerField(
        "Year starts in",
        choices=MONTH_CHOICES,
        default=1,
        help_text="For quarters, the year to date and annual targets (your fiscal year).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def show(self, value, unit: str) -> str:
        """`value` of a metric with `unit` as this team writes it ($1,350,000 / 1.350.000 €)."""
        return format_value(value, unit, number_format=self.number_format, currency=self.currency)


class TeamCoLeader(models.Model):
    """Another user the leader invited to see and run the team with them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="co_leaders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_co_led")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="tracker_one_coleader_row")]

    def __str__(self) -> str:
        return f"{self.user} co-leads {self.team}"


class CoLeaderInvitation(models.Model):
    """The team's owner asked `email` to co-lead. Accepted once, by a logged-in account holding that
    verified address, through a signed link that expires (tracker.services.coleaders)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coleader_invitations")
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The owner took the invitation back before it was accepted: its link then grants nothing.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} invited to co-lead {self.team}"


class Member(models.Model):
    """A rep on the team. Leaving deactivates them; their history stays."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=80, blank=True)
    start_date = models.DateField(default=timezone.localdate)
    active = models.BooleanField(default=True)
    # The member's recurring 1:1 slot (issue 17): "1:1s from the slots" books this month's on it.
    one_on_one_weekday = models.PositiveSmallIntegerField(
        "1:1 weekday",
        null=True,
        blank=True,
        choices=[(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")],
    )
    one_on_one_time = models.TimeField("1:1 time", null=True, blank=True, help_text="In your own time zone.")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def start_month(self):
        return self.start_date.replace(day=1)


class Metric(models.Model):
    class Unit(models.TextChoices):
        MONEY = "money", "Money"
        COUNT = "count", "Count"
        AVERAGE_1_5 = "average_1_5", "Average (1-5 scale)"
        PERCENTAGE = "percentage", "Percentage"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    higher_is_better = models.BooleanField(default=True, help_text="Untick when lower is better (e.g. cancellations).")
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Share of this metric in the overall score (0 leaves it out).",
    )
    order = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "pk"]
        # A CSV column maps to exactly one metric: names are unique per team, ignoring case (and
        # spaces, which clean() collapses before saving).
        constraints = [
            models.UniqueConstraint("team", Lower("name"), name="tracker_metric_name_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.name = " ".join((self.name or "").split())
        if self.team_id and self.name:
            same = Metric.objects.filter(team_id=self.team_id, name__iexact=self.name).exclude(pk=self.pk)
            if same.exists():
                raise ValidationError(
                    {"name": f"This team already has a metric called '{same.first().name}'. Choose another name."}
                )

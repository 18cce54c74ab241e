"""The team tracker: teams, members, metrics, monthly targets and results.

Months are stored as a `date` on day 1 of the month, so they never depend on a time zone.
Values are Decimals: money, counts, 1-5 averages and percentages all fit in one field.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

VALUE_FIELD = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


def validate_month(value) -> None:
    if value is not None and value.day != 1:
        raise ValidationError("A month is stored as its first day.")


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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TeamCoLeader(models.Model):
    """Another user the leader invited to see and run the team with them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="co_leaders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_co_led")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="tracker_one_coleader_row")]

    def __str__(self) -> str:
        return f"{self.user} co-leads {self.team}"


class Member(models.Model):
    """A rep on the team. Leaving deactivates them; their history stays."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=80, blank=True)
    start_date = models.DateField(default=timezone.localdate)
    active = models.BooleanField(default=True)

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

    def __str__(self) -> str:
        return self.name


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


class TargetCommunication(models.Model):
    """The leader sent the month's targets to the team. Late when after the first working day."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="communications")
    month = models.DateField(validators=[validate_month])
    sent_at = models.DateTimeField(default=timezone.now, help_text="First time the targets were sent.")
    last_sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="tracker_one_communication")]

    def __str__(self) -> str:
        return f"{self.team} targets for {self.month:%Y-%m}"

    @property
    def is_late(self) -> bool:
        from .attainment import first_working_day

        return timezone.localtime(self.sent_at).date() > first_working_day(self.month)


class TargetAcknowledgement(models.Model):
    """One member's copy of a communication; acknowledged through a signed link, no login."""

    communication = models.ForeignKey(TargetCommunication, on_delete=models.CASCADE, related_name="acknowledgements")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="acknowledgements")
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["communication", "member"], name="tracker_one_ack")]

    def __str__(self) -> str:
        return f"{self.member} / {self.communication}"


class ResultImport(models.Model):
    """A CSV upload: previewed, then applied all at once, and undoable as a whole.

    `rows` holds every value the import writes ({member, metric, month, value}); once applied each
    row also records `previous` (the value it replaced, or null) so undo can put things back.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Preview"
        APPLIED = "applied", "Applied"
        UNDONE = "undone", "Undone"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.status}) for {self.team}"


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


class MeetingPresentation(models.Model):
    """Results for the month were published in the group meeting."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="presentations")
    month = models.DateField(validators=[validate_month])
    presented_at = models.DateTimeField(default=timezone.now)
    presented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="tracker_one_presentation")]

    def __str__(self) -> str:
        return f"{self.team} presented {self.month:%Y-%m}"


class MeetingPdf(models.Model):
    """The meeting PDF of one team and month, stored under the SHA-256 of the HTML it was made from.

    Any change in what the PDF shows (a result, a target, a member, a metric, the team's settings)
    changes the HTML and so the key: a PDF is only ever served for the key of the current data.
    Big teams get theirs from a background task (tracker.tasks.render_meeting_pdf); the PENDING row
    is what stops every process from enqueueing the same render twice. Derived data, no history:
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


from .review_models import *  # noqa: E402,F401,F403  (tracker part 2: 1:1s, plans, celebrations)

"""Step 1: the month's targets communicated to the team, and each member's acknowledgement."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..rules.months import first_working_day
from .fields import validate_month
from .teams import Member, Team


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
        return timezone.localtime(self.sent_at).date() > first_working_day(self.month)


class TargetAcknowledgement(models.Model):
    """One member's copy of a communication; acknowledged through a signed link, no login.

    `sent_targets` is the sheet as last sent (a snapshot: [{metric_id, name, unit,
    higher_is_better, value}]) and `acknowledged_targets` the sheet the member confirmed. The
    member has acknowledged the current version only when the two are equal; empty snapshots are
    acknowledgements from before snapshots were kept."""

    communication = models.ForeignKey(TargetCommunication, on_delete=models.CASCADE, related_name="acknowledgements")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="acknowledgements")
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    sent_targets = models.JSONField(default=list, blank=True)
    acknowledged_targets = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["communication", "member"], name="tracker_one_ack")]

    def __str__(self) -> str:
        return f"{self.member} / {self.communication}"

    @property
    def acknowledged_sent_version(self) -> bool:
        """The member confirmed the numbers that were last sent to them."""
        return self.acknowledged_at is not None and self.acknowledged_targets == self.sent_targets

    @property
    def acknowledged_earlier_version(self) -> bool:
        """The member confirmed numbers that were replaced by a later send."""
        return self.acknowledged_at is not None and self.acknowledged_targets != self.sent_targets

"""The leader's monthly rhythm: which reminders a team's leader gets, the team's country (for its
working days), and the exactly-once ledger of every reminder sent (tracker.rhythm.dispatch)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .communication import TargetAcknowledgement
from .teams import Team


class ReminderKind(models.TextChoices):
    """Each email of the leader's month, in the order the month runs."""

    TARGETS_NEXT = "targets_next", "Set and send next month's targets (two working days before the 1st)"
    TARGETS_DUE = "targets_due", "Targets are due today (first working day, if not sent)"
    ACKNOWLEDGEMENTS = "acknowledgements", "Members who haven't acknowledged their targets"
    RESULTS_ENTRY = "results_entry", "Enter last month's results"
    PRESENT_RESULTS = "present_results", "Present last month's results in the meeting"
    ONE_ON_ONES = "one_on_ones", "1:1s left this month (mid-month)"
    SUBPAR = "subpar", "A sub-par flag not acted on by your deadline"
    COMMITMENTS = "commitments", "Your own commitments due this week"
    DIGEST = "digest", "The monthly digest (first working day)"


class TeamRhythm(models.Model):
    """A team's reminder settings. A team without a row gets every reminder, in the United States'
    working days. Times follow the leader's own time zone (their profile)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rhythm")
    country = models.CharField(
        max_length=2, default="US", help_text="Its public holidays are not working days for reminders."
    )
    kinds_off = models.JSONField(default=list, blank=True, help_text="Reminder kinds the leader turned off.")

    class Meta:
        verbose_name = "team rhythm"

    def __str__(self) -> str:
        return f"Rhythm of {self.team}"

    def is_on(self, kind: str) -> bool:
        return kind not in (self.kinds_off or [])


class RhythmEmail(models.Model):
    """One reminder to one leader about one team, kind and occasion (a month, a week, a flagged
    month). Inserted BEFORE the email is queued, in the same transaction: the unique constraint lets
    exactly one run win it, and a run that dies before committing leaves neither row nor email."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rhythm_emails")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    occasion = models.CharField(max_length=20, help_text="e.g. 2026-12 (a month) or 2026-W49 (a week).")
    claim = models.UUIDField(default=uuid.uuid4, help_text="The run that inserted the row (and so sends it).")
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "team", "kind", "occasion"], name="tracker_one_rhythm_email_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["team", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion} to {self.leader_id} about {self.team_id}"


class AcknowledgementReminder(models.Model):
    """The leader's "remind only those" sent one member a reminder to acknowledge their targets."""

    acknowledgement = models.ForeignKey(TargetAcknowledgement, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Reminder to {self.acknowledgement_id} at {self.sent_at:%Y-%m-%d %H:%M}"

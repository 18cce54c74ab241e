"""Writes: the coach's one-click nudges about the step that slipped, in her own words.

Each goes through `lessons.nudges.nudge_send` with reason `step_slipped` and an occasion naming the
team, month and step, so the same nudge for that month reaches a leader at most once, however
often the coach clicks (and whoever else clicks at the same time).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from lessons.nudges import nudge_send

from .console import STEP_SLIPPED, ConsoleRow, nudge_occasion

# The coach's words, per step: {month} is the month's name ("November"). The link to the leader's
# own page for the step is added below the message; the lesson link is in the words.
WORDS = {
    1: (
        "Your team's targets for {month}",
        "I noticed your team's targets for {month} haven't gone out yet. Sending them on the first is "
        "what makes the rest of the month work: every rep knows exactly what they are aiming for.\n\n"
        "It takes ten minutes in the tracker (the link is below). If you'd like a refresher first, "
        "here is the lesson on setting and communicating targets: {lesson}\n\n"
        "Reply and tell me if something is in the way.",
    ),
    2: (
        "Publishing {month}'s results",
        "The results for {month} haven't been presented to the team yet. Where your focus goes, your "
        "team's attention follows: share the rankings in your next meeting, even briefly.\n\n"
        "The lesson on publishing results is here if it helps: {lesson}\n\nReply if I can help.",
    ),
    3: (
        "The 1:1s for {month}",
        "A few of your 1:1s about {month} are still open. This is where the real work happens, so "
        "hold each one, even a short one, and note what you agreed.\n\n"
        "A refresher on tracking and reviewing: {lesson}\n\nReply and tell me how it's going.",
    ),
    4: (
        "Someone on your team needs you",
        "One of your people has been below standard and nothing is recorded yet for {month}. Firm but "
        "fair: find out why, then coach them up with a 1:1 about the gap or an improvement plan.\n\n"
        "The lesson on addressing sub-par performance: {lesson}\n\nReply if you'd like to talk it through.",
    ),
    5: (
        "Celebrate {month}",
        "Nothing has been celebrated for {month} yet. Not only the top performers: a personal best "
        "counts too, and your team notices when you notice.\n\n"
        "The lesson on celebrating successes: {lesson}\n\nReply and tell me who you celebrated!",
    ),
}


def step_words(*, step: int, month: datetime.date) -> tuple[str, str]:
    """The prefilled subject and message of a nudge about `step` of `month`."""
    subject, body = WORDS[step]
    lesson = settings.SITE_URL + reverse("tracker:step_lesson", args=[step])
    return subject.format(month=f"{month:%B}"), body.format(month=f"{month:%B}", lesson=lesson)


def step_page_url(*, team_id: int, step: int, month: datetime.date) -> str:
    """The leader's own page for `step` of `month` (they log in if needed)."""
    if step == 1:
        path = reverse("tracker:communicate", args=[team_id, month])
    elif step == 2:
        path = reverse("tracker:meeting", args=[team_id, month])
    elif step == 5:
        path = reverse("tracker:celebrations", args=[team_id, month])
    else:
        path = reverse("tracker:reviews", args=[team_id, month]) + ("#flags-heading" if step == 4 else "")
    return settings.SITE_URL + path


@dataclass
class NudgeOutcome:
    sent: int = 0
    skipped: int = 0  # already nudged about that step this month
    not_slipped: int = 0  # the step was done meanwhile, or the row was not the step's


@transaction.atomic
def step_nudges_send(
    *, coach: User, rows: list[ConsoleRow], step: int, month: datetime.date, subject: str, body: str
) -> NudgeOutcome:
    """Nudge the leader of each row whose first missed step of `month` is still `step`, once per team,
    month and step (a repeat is counted as skipped). Raises `lessons.nudges.NudgeError` (nothing
    sent) for empty or over-long words."""
    outcome = NudgeOutcome()
    for row in rows:
        slipped = row.slipped
        if slipped is None or slipped.step != step:
            outcome.not_slipped += 1
            continue
        sent = nudge_send(
            coach=coach,
            learners=[row.leader],
            subject=subject,
            body=body,
            reason=STEP_SLIPPED,
            link=step_page_url(team_id=row.team.pk, step=step, month=month),
            occasion=nudge_occasion(month=month, team_id=row.team.pk, step=step),
        )
        if sent:
            outcome.sent += 1
        else:
            outcome.skipped += 1
    return outcome

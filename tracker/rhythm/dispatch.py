"""The hourly job: every reminder that is due, to each leader, exactly once per team, kind and
occasion, even with two schedulers, a retried task or a restarted worker.

The claim (after lessons.notices and program.webinars.dispatch): a RhythmEmail row, unique per
(leader, team, kind, occasion), is inserted before the email is queued, in one transaction with the
queued email (the task queue lives in the same database, home.core.mail). Rows are inserted in
batches carrying this run's claim id, ignoring conflicts; the run whose id a row carries queues its
email. Another run's insert of the same row waits for the first run's commit (PostgreSQL), then is
ignored, so it never queues that email. A run that dies before its commit leaves neither row nor
email, so the next hour's run sends it.
"""

import datetime
import logging
import uuid
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from home.core.mail import email_queue
from home.core.zones import zone_or_none

from ..models import ReminderKind, RhythmEmail
from ..rules import add_months, month_start
from ..selectors.digest import digests_for_teams
from .due import Due, due_reminders
from .emails import reminder_message
from .facts import TeamFacts, flag_values

logger = logging.getLogger(__name__)
CLAIM_BATCH = 200  # claims and queued emails per transaction


def _local_today(facts: TeamFacts, now: datetime.datetime) -> datetime.datetime:
    zone = zone_or_none(facts.team.leader.time_zone) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return now.astimezone(zone)


def rhythm_plan(*, now: datetime.datetime, team_ids=None) -> list[tuple[TeamFacts, datetime.date, list[Due]]]:
    """(facts, leader's local date, due reminders) of every team whose leader's clock has passed
    RHYTHM_SEND_HOUR. Reads only: about fourteen queries whatever the number of teams."""
    from .facts import rhythm_facts

    plan = []
    subpar_months = set()
    for facts in rhythm_facts(now=now, team_ids=team_ids):
        local = _local_today(facts, now)
        if local.hour < settings.RHYTHM_SEND_HOUR:
            continue
        today = local.date()
        plan.append((facts, today))
        last = add_months(month_start(today), -1)
        subpar_months.update(add_months(last, -n) for n in range(3))
    values = flag_values([f for f, _ in plan], sorted(subpar_months)) if plan else ({}, {})
    return [(facts, today, due_reminders(facts, today, values=values)) for facts, today in plan]


def _digest_extra(digest) -> dict:
    steps = digest.steps
    score = steps.score if steps else 0
    return {
        "subject": f"{digest.team.name}: {digest.month:%B} in five steps, {score} of 5",
        "digest": digest,
        "score": score,
        "streak": digest.report.streak,
    }


def rhythm_reminders_send(*, now: datetime.datetime | None = None, team_ids=None) -> dict[str, int]:
    """Queue every rhythm email due at `now`, each exactly once per leader, team, kind and occasion.
    Returns how many of each kind this run queued (another run's sends are not counted)."""
    now = now or timezone.now()
    plan = rhythm_plan(now=now, team_ids=team_ids)
    digest_groups = defaultdict(list)  # (month, today) -> teams
    for facts, today, dues in plan:
        for due in dues:
            if due.kind == ReminderKind.DIGEST:
                digest_groups[(due.month, today)].append(facts.team)
    digests = {}
    for (month, today), teams in digest_groups.items():
        digests.update(digests_for_teams(teams=teams, month=month, today=today))
    outgoing = []  # (facts, due, message): rendered before any claim, so the claims stay short
    for facts, _today, dues in plan:
        country = facts.rhythm.country or "US"
        for due in dues:
            if due.kind == ReminderKind.DIGEST:
                message = reminder_message(
                    team=facts.team,
                    due=due,
                    country=country,
                    html_template="tracker/email/rhythm_digest",
                    extra=_digest_extra(digests[facts.team.pk]),
                )
            else:
                message = reminder_message(team=facts.team, due=due, country=country)
            outgoing.append((facts, due, message))
    sent: dict[str, int] = {}
    for start in range(0, len(outgoing), CLAIM_BATCH):
        for due in rhythm_emails_claim_and_queue(outgoing[start : start + CLAIM_BATCH]):
            sent[due.kind] = sent.get(due.kind, 0) + 1
    if sent:
        logger.info("rhythm emails queued: %s", sent)
    return sent


@transaction.atomic
def rhythm_emails_claim_and_queue(batch: list[tuple[TeamFacts, Due, object]]) -> list[Due]:
    """Insert the claims of `batch` (ignoring rows another run holds), then queue the emails whose
    row carries this run's claim id, all in one transaction. Returns the reminders queued here."""
    claim = uuid.uuid4()
    RhythmEmail.objects.bulk_create(
        [
            RhythmEmail(leader_id=f.team.leader_id, team=f.team, kind=d.kind, occasion=d.occasion, claim=claim)
            for f, d, _ in batch
        ],
        ignore_conflicts=True,
    )
    mine = set(RhythmEmail.objects.filter(claim=claim).values_list("team_id", "kind", "occasion"))
    queued = []
    for facts, due, message in batch:
        if (facts.team.pk, due.kind, due.occasion) in mine:
            email_queue(message)
            queued.append(due)
    return queued

"""Writes: nudges, short emails to leaders that are logged (who sent what, to whom, why, when).

`nudge_send` is the one way to send one: the coach's note from a learner page or the stuck list,
and automatic reminders from higher apps (the tracker's "a step slipped", with a `reason` of its
own, a `link` back to the step and an `occasion` so a scheduled run sends it once).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue

from .models import Nudge

SUBJECT_MAX = 200
BODY_MAX = 5000
# The same words to the same leader again within this time are a double click, not a second nudge.
REPEAT_WINDOW = timedelta(minutes=10)


class NudgeError(Exception):
    """A refusal with a message fit to show the coach."""


def _email(nudge: Nudge, coach: User | None) -> EmailMessage:
    context = {"learner": nudge.learner, "nudge": nudge, "coach": coach, "site_url": settings.SITE_URL}
    return EmailMessage(
        subject=nudge.subject,
        body=render_to_string("lessons/email/nudge.txt", context),
        to=[nudge.learner.email],
        reply_to=[coach.email] if coach is not None and coach.email else [],
    )


@transaction.atomic
def nudge_send(
    *,
    coach: User | None,
    learners: Iterable[User],
    subject: str,
    body: str,
    reason: str = Nudge.COACH,
    link: str = "",
    occasion: str = "",
) -> list[Nudge]:
    """Email each leader in `learners` once and log it as a `Nudge`; returns the nudges sent.

    The email is queued in the same transaction as its row, so both or neither happen. Leaders
    without an active account are skipped, as is a repeat: the same occasion for this leader and
    reason (when `occasion` is given), or the same subject and words within REPEAT_WINDOW. Raises
    `NudgeError` (nothing sent) for an empty subject or body, or words over the limits."""
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    reason = (reason or Nudge.COACH).strip()[:40]
    if not subject or not body:
        raise NudgeError("Write a subject and a message before sending.")
    if len(subject) > SUBJECT_MAX:
        raise NudgeError(f"Please keep the subject under {SUBJECT_MAX} characters.")
    if len(body) > BODY_MAX:
        raise NudgeError(f"Please keep the message under {BODY_MAX:,} characters.")
    recipients = {learner.pk: learner for learner in learners if learner.is_active and learner.email}
    if not recipients:
        return []
    now = timezone.now()
    if occasion:
        repeats = Nudge.objects.filter(learner_id__in=list(recipients), reason=reason, occasion=occasion)
    else:
        repeats = Nudge.objects.filter(
            learner_id__in=list(recipients), subject=subject, body=body, created_at__gte=now - REPEAT_WINDOW
        )
    already = set(repeats.values_list("learner_id", flat=True))
    sent = []
    for learner in recipients.values():
        if learner.pk in already:
            continue
        nudge = Nudge(
            learner=learner,
            coach=coach,
            reason=reason,
            occasion=occasion,
            subject=subject,
            body=body,
            link=link,
            created_at=now,
            emailed_at=now,
        )
        nudge.full_clean(exclude=["learner", "coach"])
        try:
            with transaction.atomic():
                nudge.save()
        except IntegrityError:  # the same occasion claimed at the same moment by another run
            continue
        email_queue(_email(nudge, coach))
        sent.append(nudge)
    return sent

"""Step 5 writes: record a celebration, edit its note, email the note to the member."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue

from ..models import Celebration, Member, Metric, Team
from ..rules import add_months, month_start
from .mail_limits import leader_mail_reserve


def celebration_record(
    *,
    team: Team,
    member: Member,
    month: datetime.date,
    kind: str,
    title: str,
    note: str = "",
    metric: Metric | None = None,
) -> Celebration:
    """Record a celebration (detected or the leader's own). Recording a detected one twice returns
    the first."""
    if member.team_id != team.pk:
        raise ValidationError({"member": "This member is not on your team."})
    if metric is not None and metric.team_id != team.pk:
        raise ValidationError({"metric": "This metric is not on your team."})
    if month.day != 1 or not (datetime.date(2000, 1, 1) <= month <= add_months(month_start(timezone.localdate()), 1)):
        raise ValidationError({"month": "Choose a month between 2000 and next month."})
    if kind != Celebration.Kind.CUSTOM:
        existing = Celebration.objects.filter(team=team, member=member, month=month, kind=kind, metric=metric).first()
        if existing:
            return existing
    celebration = Celebration(
        team=team, member=member, month=month, kind=kind, metric=metric, title=title.strip(), note=note.strip()
    )
    celebration.full_clean()
    celebration.save()
    return celebration


def celebration_note_update(*, celebration: Celebration, note: str) -> Celebration:
    celebration.note = note.strip()
    celebration.full_clean()
    celebration.save(update_fields=["note"])
    return celebration


@transaction.atomic
def celebration_send(*, celebration: Celebration, sent_by: User, now: datetime.datetime | None = None) -> Celebration:
    """Email the note to the member (after commit) and remember when. The person who sends it (the
    team's owner or a co-leader) signs it, receives the replies and has it counted against their own
    daily tracker mail limit."""
    member = celebration.member
    if not member.email:
        raise ValidationError(f"{member.name} has no email address; add one on the member page.")
    if not celebration.note:
        raise ValidationError("Write a note first: a few words in your own voice.")
    sender_name = sent_by.get_full_name() or sent_by.email
    message = EmailMessage(
        subject=f"{celebration.title}: well done, {member.name.split()[0]}",
        body=f"{celebration.note}\n\n{sender_name}\n{celebration.team.name}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        reply_to=[sent_by.email],
    )
    leader_mail_reserve(leader_id=sent_by.pk, count=1)
    celebration.sent_at = now or timezone.now()
    celebration.save(update_fields=["sent_at"])
    transaction.on_commit(lambda: email_queue(message))
    return celebration

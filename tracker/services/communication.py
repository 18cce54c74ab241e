"""Step 1: communicate the month's targets (an email and a PDF target sheet per member, sent by a
background task) and record each member's acknowledgement.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from home.core.pdf import render_pdf

from ..models import Target, TargetAcknowledgement, TargetCommunication, Team
from ..rules import month_start
from ..selectors.communication import target_sheet_context, target_snapshots
from .mail_limits import leader_mail_reserve


@transaction.atomic
def targets_communicate(
    *, team: Team, month: datetime.date, sent_by: User, everyone: bool = False
) -> TargetCommunication:
    """Email active members with an email address their own targets for `month` and a one-page
    PDF target sheet (after commit, as tasks), keeping the sheet sent as a snapshot on their
    acknowledgement. Sends only to those who need it: never sent, not yet acknowledging the sheet
    last sent, or whose targets changed since; `everyone` sends to all. An earlier acknowledgement
    is kept (of the sheet it confirmed). `communication.sent_to` lists the member ids emailed.
    ValidationError when nobody has targets, or nobody needs the email."""
    month = month_start(month)
    member_ids = set(
        Target.objects.filter(member__team=team, member__active=True, month=month)
        .exclude(member__email="")
        .values_list("member_id", flat=True)
    )
    if not member_ids:
        raise ValidationError("No active member with an email address has targets for that month yet.")
    sheets = target_snapshots(team=team, month=month)
    now = timezone.now()
    communication, created = TargetCommunication.objects.get_or_create(
        team=team, month=month, defaults={"sent_at": now, "last_sent_at": now, "sent_by": sent_by}
    )
    existing = {a.member_id: a for a in communication.acknowledgements.select_for_update()}
    sent_to = []
    for member_id in sorted(member_ids):
        sheet = sheets.get(member_id, [])
        ack = existing.get(member_id)
        if ack is not None and not everyone and ack.sent_targets == sheet and ack.acknowledged_sent_version:
            continue  # they confirmed exactly these numbers
        if ack is None:
            ack = TargetAcknowledgement(communication=communication, member_id=member_id)
        ack.sent_targets, ack.emailed_at = sheet, None
        ack.save()
        sent_to.append(member_id)
        transaction.on_commit(lambda pk=ack.pk: send_target_sheet.enqueue(pk))
    if not sent_to:
        raise ValidationError(
            "Everyone has acknowledged the targets as they are now: nothing was sent. "
            "Choose 'Send to everyone' to send them again anyway."
        )
    leader_mail_reserve(leader_id=sent_by.pk, count=len(sent_to))  # past the limit: all rolled back
    if not created:
        communication.last_sent_at = now
        communication.save(update_fields=["last_sent_at"])
    communication.sent_to = sent_to
    return communication


def target_acknowledge(*, ack: TargetAcknowledgement) -> TargetAcknowledgement:
    """Record that the member confirmed the sheet last sent to them (kept as acknowledged_targets);
    confirming the same sheet again changes nothing."""
    if ack.acknowledged_at is None or ack.acknowledged_targets != ack.sent_targets:
        ack.acknowledged_at = timezone.now()
        ack.acknowledged_targets = ack.sent_targets
        ack.save(update_fields=["acknowledged_at", "acknowledged_targets"])
    return ack


@task()
def send_target_sheet(ack_id: int) -> None:
    """Email one member their targets with the PDF target sheet attached."""
    ack = (
        TargetAcknowledgement.objects.select_related("member", "communication__team__leader").filter(pk=ack_id).first()
    )
    if ack is None or not ack.member.email:
        return
    context = target_sheet_context(ack)
    subject = f"Your targets for {context['month']:%B %Y}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("tracker/email/targets.txt", context),
        to=[ack.member.email],
        reply_to=[context["leader"].email],
    )
    message.attach_alternative(render_to_string("tracker/email/targets.html", context), "text/html")
    pdf = render_pdf(template="tracker/pdf/target_sheet.html", context=context)
    message.attach(f"targets-{context['month']:%Y-%m}.pdf", pdf, "application/pdf")
    message.send()
    ack.emailed_at = timezone.now()
    ack.save(update_fields=["emailed_at"])

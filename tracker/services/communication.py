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
from ..selectors.communication import target_sheet_context
from .mail_limits import leader_mail_reserve


@transaction.atomic
def targets_communicate(*, team: Team, month: datetime.date, sent_by: User) -> TargetCommunication:
    """Email each active member with an email address their own targets for `month` and a one-page
    PDF target sheet (after commit, as tasks). Records the first and latest send; a resend emails
    again but keeps existing acknowledgements. ValidationError when nobody has targets."""
    month = month_start(month)
    member_ids = set(
        Target.objects.filter(member__team=team, member__active=True, month=month)
        .exclude(member__email="")
        .values_list("member_id", flat=True)
    )
    if not member_ids:
        raise ValidationError("No active member with an email address has targets for that month yet.")
    leader_mail_reserve(leader_id=sent_by.pk, count=len(member_ids))
    now = timezone.now()
    communication, created = TargetCommunication.objects.get_or_create(
        team=team, month=month, defaults={"sent_at": now, "last_sent_at": now, "sent_by": sent_by}
    )
    if not created:
        communication.last_sent_at = now
        communication.save(update_fields=["last_sent_at"])
    for member_id in sorted(member_ids):
        ack, _ = TargetAcknowledgement.objects.get_or_create(communication=communication, member_id=member_id)
        transaction.on_commit(lambda pk=ack.pk: send_target_sheet.enqueue(pk))
    return communication


def target_acknowledge(*, ack: TargetAcknowledgement) -> TargetAcknowledgement:
    """Record the member's acknowledgement; the first click counts, repeats change nothing."""
    if ack.acknowledged_at is None:
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
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

"""Background work: emailing each member their target sheet, rendering big meeting PDFs."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from home.core.pdf import render_pdf

from .models import Target, TargetAcknowledgement


def target_sheet_context(ack: TargetAcknowledgement) -> dict:
    from .services import ack_token

    communication = ack.communication
    targets = list(
        Target.objects.filter(member=ack.member, month=communication.month, metric__archived=False)
        .select_related("metric")
        .order_by("metric__order", "metric__pk")
    )
    return {
        "member": ack.member,
        "team": communication.team,
        "leader": communication.team.leader,
        "month": communication.month,
        "targets": targets,
        "ack_url": settings.SITE_URL + reverse("tracker:acknowledge", args=[ack_token(ack)]),
    }


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


@task()
def render_meeting_pdf(pdf_id: int) -> None:
    """Render a big team's meeting PDF and store it (tracker.meeting explains the whole flow)."""
    from .meeting import render_pending

    render_pending(pdf_id)

"""The suppression list: bounces and complaints reported by the email provider's webhook
(django-anymail's `tracking` signal) stop all mail to the address, newsletter and webinar alike."""

import logging

from django.db import transaction

from home.core.mail_suppression import email_suppressed

from .models import EmailSuppression

logger = logging.getLogger("home.runtime.suppression")

# anymail's normalised event types that mean "never again" (a soft bounce is "deferred": not here).
SUPPRESSING_EVENTS = {
    "bounced": EmailSuppression.Reason.BOUNCED,
    "complained": EmailSuppression.Reason.COMPLAINED,
    "unsubscribed": EmailSuppression.Reason.UNSUBSCRIBED,
    "rejected": EmailSuppression.Reason.REJECTED,
}


def suppressed_lookup(addresses: set[str]) -> set[str]:
    """One query: which of these (lower-case) addresses are suppressed."""
    return set(EmailSuppression.objects.filter(email__in=addresses).values_list("email", flat=True))


@transaction.atomic
def email_suppression_record(*, email: str, reason: str, esp: str = "", detail: str = "", event_id: str = "") -> bool:
    """Suppress `email` (idempotent: a repeated webhook changes nothing). True if it is new."""
    email = (email or "").strip().lower()
    if not email:
        return False
    _, created = EmailSuppression.objects.get_or_create(
        email=email,
        defaults={
            "reason": reason,
            "esp": esp[:40],
            "detail": (detail or "")[:500],
            "event_id": (event_id or "")[:200],
        },
    )
    if created:
        logger.info("suppressed an address (%s from %s)", reason, esp or "provider")
        transaction.on_commit(lambda: email_suppressed.send(sender=EmailSuppression, email=email, reason=reason))
    return created


def on_tracking_event(sender, event, esp_name, **kwargs) -> None:
    """anymail's tracking signal: record bounces, complaints and provider unsubscribes."""
    reason = SUPPRESSING_EVENTS.get(event.event_type)
    if reason is None or not event.recipient:
        return
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    if raw.get("Type") == "SoftBounce":  # Postmark reports a full mailbox as "bounced": it may clear
        return
    email_suppression_record(
        email=event.recipient,
        reason=reason,
        esp=esp_name or "",
        detail=event.description or event.reject_reason or "",
        event_id=event.event_id or "",
    )

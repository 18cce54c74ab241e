"""The suppression list: bounces and complaints reported by the email provider's webhook
(django-anymail's `tracking` signal) stop all mail to the address, newsletter and webinar alike."""

import hashlib
import logging

from django.db import transaction
from django.db.models import Q

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


def address_hash(email: str) -> str:
    """How a deleted account's address is kept: sha256 of the lower-cased address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def suppressed_lookup(addresses: set[str], *, account_mail: bool = False) -> set[str]:
    """One query: which of these (lower-case) addresses are suppressed, by the address itself or by
    its hash. `account_mail` (a sign-up confirmation or password reset the person asked for just
    now) is not held back by an "account deleted" row: a person signing up again with the address
    must be able to confirm it (confirming lifts the row, see home.runtime.privacy)."""
    hashes = {address_hash(a): a for a in addresses}
    rows = EmailSuppression.objects.filter(Q(email__in=addresses) | Q(email_hash__in=hashes))
    if account_mail:
        rows = rows.exclude(reason=EmailSuppression.Reason.ACCOUNT_DELETED)
    found = set()
    for email, email_hash in rows.values_list("email", "email_hash"):
        found.add(email if email in addresses else hashes.get(email_hash))
    return found - {None}


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

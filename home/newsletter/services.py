"""Newsletter rules: double opt-in, the consent ledger, unsubscribing."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .models import NewsletterConsent, NewsletterSubscriber
from .tasks import newsletter_confirmation_send

Status = NewsletterSubscriber.Status
CONSENT_WORDING = (
    "Yes, send me the weekly Huddle newsletter: one short email with ideas for leading a sales team. "
    "I can unsubscribe at any time with one click."
)
MAX_SOURCE = 200


def _record(subscriber, action: str, *, ip: str | None, source: str, wording: str = "") -> None:
    NewsletterConsent.objects.create(
        subscriber=subscriber, action=action, ip=ip or None, source=source[:MAX_SOURCE], wording=wording
    )


@transaction.atomic
def newsletter_subscribe(*, email: str, first_name: str = "", source: str, ip: str | None = None) -> None:
    """Ask to subscribe `email`. Unconfirmed addresses get a confirmation email with an expiring
    link; confirmed ones get nothing new. Returns nothing, so callers cannot reveal whether an
    address was already subscribed. Every request is recorded in the consent ledger."""
    email = (email or "").strip().lower()
    validate_email(email)
    if len(email) > 254 or len(first_name) > 60:
        raise ValidationError("That is too long.")
    subscriber = NewsletterSubscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = NewsletterSubscriber(email=email, first_name=first_name.strip(), source=source[:MAX_SOURCE])
        subscriber.full_clean()
        subscriber.save()
    _record(subscriber, NewsletterConsent.Action.SUBSCRIBE, ip=ip, source=source, wording=CONSENT_WORDING)
    if subscriber.status == Status.CONFIRMED:
        return
    if first_name and not subscriber.first_name:
        subscriber.first_name = first_name.strip()
    subscriber.status = Status.PENDING
    subscriber.save(update_fields=["status", "first_name"])
    pk = subscriber.pk
    transaction.on_commit(lambda: newsletter_confirmation_send.enqueue(subscriber_id=pk))


UNSUBSCRIBED_SINCE = "You unsubscribed after this link was sent, so it no longer subscribes you. To get the newsletter again, sign up again."


def unsubscribed_since(subscriber: NewsletterSubscriber, link_issued_at: datetime.datetime | None) -> bool:
    """The address unsubscribed after the link was made (a link from the same second counts as
    older: signatures hold whole seconds, and a fresh sign-up sends a fresh link anyway)."""
    return bool(subscriber.unsubscribed_at and link_issued_at and link_issued_at <= subscriber.unsubscribed_at)


@transaction.atomic
def newsletter_confirm(
    *, subscriber: NewsletterSubscriber, ip: str | None = None, link_issued_at: datetime.datetime | None = None
) -> NewsletterSubscriber:
    """Confirm the subscription (idempotent for already confirmed addresses). An unsubscribe always
    wins over a link sent before it: ValidationError, nothing changes."""
    subscriber = NewsletterSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Status.CONFIRMED:
        return subscriber
    if unsubscribed_since(subscriber, link_issued_at):
        raise ValidationError(UNSUBSCRIBED_SINCE)
    subscriber.status = Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    _record(subscriber, NewsletterConsent.Action.CONFIRM, ip=ip, source="confirmation link", wording=CONSENT_WORDING)
    return subscriber


@transaction.atomic
def newsletter_unsubscribe(*, subscriber: NewsletterSubscriber, ip: str | None = None, source: str) -> None:
    """Stop all issues to this address at once; recorded in the ledger, idempotent."""
    subscriber = NewsletterSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Status.UNSUBSCRIBED:
        return
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _record(subscriber, NewsletterConsent.Action.UNSUBSCRIBE, ip=ip, source=source)

"""Newsletter rules: double opt-in, the consent ledger, unsubscribing."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .models import NewsletterConsent, NewsletterIssuePage, NewsletterSubscriber
from .tasks import newsletter_confirmation_send, newsletter_issue_send
from .wording import CONFIRM_WORDING, SIGNUP_WORDING

Status = NewsletterSubscriber.Status
CONSENT_WORDING = SIGNUP_WORDING["page"]  # the newsletter page's form
MAX_SOURCE = 200


def _record(subscriber, action: str, *, ip: str | None, source: str, wording: str = "") -> None:
    NewsletterConsent.objects.create(
        subscriber=subscriber, action=action, ip=ip or None, source=source[:MAX_SOURCE], wording=wording
    )


@transaction.atomic
def newsletter_subscribe(
    *, email: str, first_name: str = "", source: str, ip: str | None = None, wording: str = CONSENT_WORDING
) -> None:
    """Ask to subscribe `email`. Unconfirmed addresses get a confirmation email with an expiring
    link; confirmed ones get nothing new. Returns nothing, so callers cannot reveal whether an
    address was already subscribed. Every request is recorded in the consent ledger with `wording`:
    the exact text the form the person used showed them."""
    email = (email or "").strip().lower()
    validate_email(email)
    if len(email) > 254 or len(first_name) > 60:
        raise ValidationError("That is too long.")
    subscriber = NewsletterSubscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = NewsletterSubscriber(
            email=email, first_name=first_name.strip(), source=source[:MAX_SOURCE], status=Status.PENDING
        )
        # A fresh uuid4; the address was looked up just above (validate_email checked its form), and
        # the database's unique constraint holds against a racing insert.
        subscriber.full_clean(exclude=["uuid", "email"])
        subscriber.save()
    _record(subscriber, NewsletterConsent.Action.SUBSCRIBE, ip=ip, source=source, wording=wording)
    if subscriber.status == Status.CONFIRMED:
        return
    if subscriber.status != Status.PENDING or (first_name and not subscriber.first_name):
        subscriber.first_name = subscriber.first_name or first_name.strip()
        subscriber.status = Status.PENDING
        subscriber.save(update_fields=["status", "first_name"])
    pk = subscriber.pk
    transaction.on_commit(lambda: newsletter_confirmation_send.enqueue(subscriber_id=pk))


UNSUBSCRIBED_SINCE = "You unsubscribed after this link was sent, so it no longer subscribes you. To get the newsletter again, sign up again."


def unsubscribed_since(subscriber: NewsletterSubscriber, link_issued_at: datetime | None) -> bool:
    """The address unsubscribed after the link was made (a link from the same second counts as
    older: signatures hold whole seconds, and a fresh sign-up sends a fresh link anyway)."""
    return bool(subscriber.unsubscribed_at and link_issued_at and link_issued_at <= subscriber.unsubscribed_at)


@transaction.atomic
def newsletter_confirm(
    *, subscriber: NewsletterSubscriber, ip: str | None = None, link_issued_at: datetime | None = None
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
    _record(subscriber, NewsletterConsent.Action.CONFIRM, ip=ip, source="confirmation link", wording=CONFIRM_WORDING)
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


def _sendable(issue) -> None:
    from .sending import postal_address

    if issue.sent_at is not None:
        raise ValidationError("This issue has already been sent. It cannot be sent again.")
    if not issue.live:
        raise ValidationError("Publish the issue before sending it.")
    if not postal_address():
        raise ValidationError("Add the business's postal address in Settings → Newsletter settings first.")


@transaction.atomic
def newsletter_issue_send_request(*, issue_id: int, send_at: datetime | None = None) -> NewsletterIssuePage:
    """Send the issue now (`send_at` None) or at `send_at` (the scheduler starts it when due).
    Refused for an issue already sent (never re-sent to those who joined since), a draft, a time in
    the past, or without a postal address. Asking again while it sends only resumes it."""
    issue = NewsletterIssuePage.objects.select_for_update().get(pk=issue_id)
    _sendable(issue)
    now = timezone.now()
    if send_at is not None and send_at < now - timedelta(minutes=1):
        raise ValidationError("Choose a time in the future.")
    started = issue.deliveries.exists()
    if not started:
        issue.send_requested_at = send_at or now
        issue.save(update_fields=["send_requested_at"])
    if send_at is None or started:
        transaction.on_commit(lambda: newsletter_issue_send.enqueue(issue_id=issue_id))
    return issue


@transaction.atomic
def newsletter_issue_schedule_cancel(*, issue_id: int) -> None:
    """Take a scheduled issue off the schedule, while nothing has been sent yet."""
    issue = NewsletterIssuePage.objects.select_for_update().get(pk=issue_id)
    if issue.sent_at is not None or issue.deliveries.exists():
        raise ValidationError("Sending has started; it can no longer be cancelled.")
    issue.send_requested_at = None
    issue.save(update_fields=["send_requested_at"])

"""Privacy for the newsletter: the subscription and its consent ledger in "download my data",
and what deleting the account does to them.

The ledger must outlive the subscription (it proves what was consented to, and when), but its rows
hang off the subscriber (CASCADE). So the subscriber row is kept as a tombstone: status
unsubscribed, no name, and instead of the address the SHA-256 of the lowercased address
(`<sha256>@erased-<pk>.invalid`), so the history can still be found for someone who gives us their
address, but the address itself is gone. The ledger's IP addresses are cleared.
"""

import hashlib
import uuid

from django.utils import timezone

from accounts.export import own_email_q, plain, register_exporter
from accounts.export_rows import rows_in_one_query
from accounts.signals import account_deleting

from .models import NewsletterConsent, NewsletterSubscriber

ERASED_SOURCE = "account deleted"


def email_digest(email: str) -> str:
    """What the tombstone keeps of an address: SHA-256 of the trimmed, lowercased address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _subscribers_of(user):
    return NewsletterSubscriber.objects.filter(own_email_q(user))


def newsletter_export(user) -> dict:
    """The newsletter subscription(s) for the user's addresses with every consent-ledger entry. One query."""
    subscribers = _subscribers_of(user)
    rows = rows_in_one_query(
        {
            "subscriptions": (
                subscribers,
                {
                    name: name
                    for name in (
                        "id",
                        "email",
                        "first_name",
                        "status",
                        "source",
                        "created_at",
                        "confirmed_at",
                        "unsubscribed_at",
                    )
                },
                ("created_at", "id"),
            ),
            "consents": (
                NewsletterConsent.objects.filter(subscriber__in=subscribers.values("pk")),
                {name: name for name in ("id", "subscriber_id", "action", "created_at", "ip", "source", "wording")},
                ("created_at", "id"),
            ),
        }
    )
    for subscriber in rows["subscriptions"]:
        subscriber["consents"] = [c for c in rows["consents"] if c["subscriber_id"] == subscriber["id"]]
    return plain({"subscriptions": rows["subscriptions"]})


def newsletter_account_deleting(sender, user, **kwargs) -> None:
    """Turn the user's subscriber rows into tombstones (see the module docstring): no more issues,
    no address, no name, no IPs; the consent ledger and delivery counts stay."""
    now = timezone.now()
    for subscriber in _subscribers_of(user).select_for_update():
        if subscriber.status != NewsletterSubscriber.Status.UNSUBSCRIBED:
            NewsletterConsent.objects.create(
                subscriber=subscriber, action=NewsletterConsent.Action.UNSUBSCRIBE, source=ERASED_SOURCE
            )
            subscriber.status = NewsletterSubscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = now
        subscriber.email = f"{email_digest(subscriber.email)}@erased-{subscriber.pk}.invalid"
        subscriber.first_name = ""
        subscriber.uuid = uuid.uuid4()  # the signed links in old emails (confirm, unsubscribe) lead nowhere now
        subscriber.save(update_fields=["email", "first_name", "status", "unsubscribed_at", "uuid"])
        subscriber.consents.update(ip=None)


# Registered on import: the AppConfig imports this module in ready().
register_exporter("newsletter", newsletter_export)
account_deleting.connect(newsletter_account_deleting, dispatch_uid="newsletter.privacy")

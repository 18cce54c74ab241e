"""Newsletter reads for the coach's screens."""

from django.db.models import Exists, OuterRef

from .models import NewsletterDelivery, NewsletterIssuePage, NewsletterSubscriber


def newsletter_issue_recipients_count(*, issue: NewsletterIssuePage) -> int:
    """Exactly how many people a send of `issue` would mail now: confirmed subscribers who have
    not had it (one query). The sender skips the same people, so the number shown is the number sent
    unless someone joins or leaves in between."""
    delivered = NewsletterDelivery.objects.filter(issue_id=issue.pk, subscriber_id=OuterRef("pk"))
    return (
        NewsletterSubscriber.objects.filter(status=NewsletterSubscriber.Status.CONFIRMED)
        .filter(~Exists(delivered))
        .count()
    )

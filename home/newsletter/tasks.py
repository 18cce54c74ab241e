"""Background work of the newsletter: the confirmation email and sending an issue."""

from django_tasks import task

from .models import NewsletterSubscriber
from .sending import confirmation_email, newsletter_issue_deliver


@task()
def newsletter_confirmation_send(*, subscriber_id: int) -> None:
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.status == NewsletterSubscriber.Status.PENDING:
        confirmation_email(subscriber).send()


@task()
def newsletter_issue_send(*, issue_id: int) -> int:
    """Background send of one issue to all confirmed subscribers (resumable)."""
    return newsletter_issue_deliver(issue_id=issue_id)

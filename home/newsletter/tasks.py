"""Background work of the newsletter: the confirmation email and sending an issue."""

from django_tasks import task

from home.core.tasks import retrying

from .models import NewsletterSubscriber
from .sending import confirmation_email, newsletter_issue_deliver, newsletter_sends_due


@task()
@retrying()
def newsletter_confirmation_send(*, subscriber_id: int) -> None:
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.status == NewsletterSubscriber.Status.PENDING:
        confirmation_email(subscriber).send()


@task()
@retrying(label="newsletter issue")
def newsletter_issue_send(*, issue_id: int) -> int:
    """Background send of one issue to all confirmed subscribers (resumable)."""
    return newsletter_issue_deliver(issue_id=issue_id)


@task()
def newsletter_due_issues_send() -> list[int]:
    """Start scheduled issues whose time has come and resume interrupted sends (every minute)."""
    due = newsletter_sends_due()
    for issue_id in due:
        newsletter_issue_send.enqueue(issue_id=issue_id)
    return due
